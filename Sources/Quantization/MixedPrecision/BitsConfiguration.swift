import Foundation
import Tensor

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

    enum CodingKeys: String, CodingKey { case layers, search }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Layers are read in name order, so a file with several bad entries
        // always names the same one first (a dictionary's own order varies by process).
        let entries = try c.nestedContainer(keyedBy: LayerName.self, forKey: .layers)
        var layers: [String: LayerBits] = [:]
        for key in entries.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            layers[key.stringValue] = try entries.decode(LayerBits.self, forKey: key)
        }
        self.layers = layers
        search = try c.decodeIfPresent(SearchInfo.self, forKey: .search)
    }

    private struct LayerName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public struct FileError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Largest bits file read: a model with 100 000 layers fits in a few MB.
    public static let maximumFileBytes = 16 << 20
    /// Most layers one file may list.
    public static let maximumLayers = 100_000

    public static func load(path: String) throws(FileError) -> BitsConfiguration {
        let data: Data
        do { data = try RegularFile.read(path, what: "a bits file (JSON)", limit: maximumFileBytes, symbolicLinks: .followed) } catch {
            throw FileError(description: error.description)
        }
        return try decode(data, source: path)
    }

    /// Parses and checks a bits file (or an export's encodings file) held in
    /// memory; every error is one line starting with `source` and naming the field.
    /// Callable on any bytes (the fuzz targets).
    public static func decode(_ data: Data, source: String = "bits file") throws(FileError) -> BitsConfiguration {
        func fail(_ text: String) -> FileError { FileError(description: "\(source): \(text)") }
        if let duplicate = JSONDuplicateKey.first(in: data) {
            throw fail("\(TerminalText.sanitized(duplicate)): listed twice")
        }
        var config: BitsConfiguration
        // An encodings file is told by its key, so that an error inside its
        // `bit_configuration` is reported there rather than as a bits file's.
        if (try? JSONDecoder().decode(ExportEncodingsMarker.self, from: data))?.isEncodings == true {
            do { config = try JSONDecoder().decode(ExportEncodings.self, from: data).bitConfiguration } catch {
                throw fail(DecodingErrorText.describe(error))
            }
        } else {
            do { config = try JSONDecoder().decode(BitsConfiguration.self, from: data) } catch {
                let text = DecodingErrorText.describe(error)
                throw fail(text == "not valid JSON" ? "not valid JSON (expected {\"layers\": {\"name\": {\"wbits\": 4, \"abits\": 4}}})" : text)
            }
        }
        if config.layers.count > maximumLayers { throw fail("layers: \(config.layers.count) layers, more than the limit \(maximumLayers)") }
        // Widths were checked as they were decoded (`LayerBits`).
        if config.layers.keys.contains("") { throw fail("layers: a layer with an empty name") }
        if let search = config.search {
            for (field, value) in [("limit", search.limit), ("cost", search.cost), ("objective", search.objective),
                                   ("average_bits", search.averageBits), ("uniform4_cost", search.uniform4Cost ?? 0)] where !value.isFinite {
                throw fail("search.\(field): \(value) is not a finite number")
            }
            config.search?.method = TerminalText.sanitized(search.method)
            config.search?.budget = TerminalText.sanitized(search.budget)
            config.search?.sensitivity = TerminalText.sanitized(search.sensitivity)
        }
        return config
    }

    /// The export's encodings file carries the same object as `bit_configuration`,
    /// so an exported model's bits can be fed back as they are.
    private struct ExportEncodings: Decodable {
        var bitConfiguration: BitsConfiguration
        enum CodingKeys: String, CodingKey { case bitConfiguration = "bit_configuration" }
    }

    /// Whether a JSON object has the encodings file's `bit_configuration` key.
    private struct ExportEncodingsMarker: Decodable {
        var isEncodings: Bool
        init(from decoder: any Decoder) throws {
            isEncodings = try decoder.container(keyedBy: ExportEncodings.CodingKeys.self).contains(.bitConfiguration)
        }
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
