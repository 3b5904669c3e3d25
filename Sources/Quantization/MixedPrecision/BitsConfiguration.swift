import Foundation

/// Per-layer bit widths as a file: what `brecq search` writes and
/// `brecq quantize --bits-config` reads.
///
/// ```json
/// { "layers": { "<layer name>": { "wbits": 4, "abits": 4 } },
///   "search": { "measure": "size", "budget": 123.0, "cost": 120.5, "objective": 0.0123, ... } }
/// ```
///
/// `layers` has the same shape as the export's encodings file's
/// `bit_configuration`; `load` reads either file. `search` is optional and informational (how the bits were chosen).
public struct BitsConfiguration: Sendable, Codable, Equatable {
    public struct LayerBits: Sendable, Codable, Equatable {
        public var wbits: Int
        public var abits: Int
        public init(wbits: Int, abits: Int) { self.wbits = wbits; self.abits = abits }
    }

    /// How a configuration was found.
    public struct SearchInfo: Sendable, Codable, Equatable {
        /// "genetic", "exhaustive", "random" or "uniform".
        public var method: String
        public var measure: HardwareMeasure
        /// The budget as given, and as an absolute cost.
        public var budget: String
        public var limit: Double
        public var cost: Double
        /// Cost of uniform 4-bit searchable layers, for reference.
        public var uniform4Cost: Double?
        public var objective: Double
        /// Weight-count-weighted mean weight bits over the searchable layers.
        public var averageBits: Double
        public var seed: UInt64?
        public var sensitivity: String

        enum CodingKeys: String, CodingKey {
            case method, measure, budget, limit, cost, objective, seed, sensitivity
            case uniform4Cost = "uniform4_cost"
            case averageBits = "average_bits"
        }

        public init(method: String, measure: HardwareMeasure, budget: String, limit: Double, cost: Double, uniform4Cost: Double?,
                    objective: Double, averageBits: Double, seed: UInt64?, sensitivity: String) {
            self.method = method; self.measure = measure; self.budget = budget; self.limit = limit; self.cost = cost
            self.uniform4Cost = uniform4Cost; self.objective = objective; self.averageBits = averageBits; self.seed = seed
            self.sensitivity = sensitivity
        }
    }

    public var layers: [String: LayerBits]
    public var search: SearchInfo?

    public init(layers: [String: LayerBits], search: SearchInfo? = nil) {
        self.layers = layers
        self.search = search
    }

    public struct FileError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(path: String) throws(FileError) -> BitsConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(description: "\(path): cannot read") }
        let config: BitsConfiguration
        if let encodings = try? JSONDecoder().decode(ExportEncodings.self, from: data) {
            config = encodings.bitConfiguration
        } else {
            do { config = try JSONDecoder().decode(BitsConfiguration.self, from: data) } catch {
                throw FileError(description: "\(path): expected {\"layers\": {\"name\": {\"wbits\": 4, \"abits\": 4}}} (\(error))")
            }
        }
        for (name, bits) in config.layers.sorted(by: { $0.key < $1.key }) {
            if !(2...8).contains(bits.wbits) { throw FileError(description: "\(path): \(name): wbits must be in 2…8 (got \(bits.wbits))") }
            if !((2...8).contains(bits.abits) || bits.abits == 32) {
                throw FileError(description: "\(path): \(name): abits must be in 2…8 or 32 (got \(bits.abits))")
            }
        }
        return config
    }

    /// The export's encodings file carries the same object as `bit_configuration`,
    /// so an exported model's bits can be fed back as they are.
    private struct ExportEncodings: Decodable {
        var bitConfiguration: BitsConfiguration
        enum CodingKeys: String, CodingKey { case bitConfiguration = "bit_configuration" }
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }

    /// Layers of this file that `graph` does not have (a file for another model).
    public func unknownLayers(in known: Set<String>) -> [String] {
        layers.keys.filter { !known.contains($0) }.sorted()
    }
}
