import Foundation

/// Per-layer latency by weight bit width, in microseconds, read from JSON:
///
/// ```json
/// {
///   "unit": "us",
///   "activation_bits": 4,
///   "source": "how the numbers were obtained",
///   "layers": { "<layer name>": { "2": 12.5, "4": 20.1, "8": 37.9 } }
/// }
/// ```
///
/// Layer names are the graph's node names (`brecq inspect` lists them). The
/// table must cover every searchable layer at every candidate bit width and
/// the fixed layers (stem, classifier) at their bits. `activation_bits` and
/// `source` are informational.
public struct LatencyTable: Sendable, Codable, Equatable {
    public var unit: String?
    public var activationBits: Int?
    public var source: String?
    /// Layer name → weight bits (as a string key) → microseconds.
    public var layers: [String: [String: Double]]

    enum CodingKeys: String, CodingKey {
        case unit, source, layers
        case activationBits = "activation_bits"
    }

    public init(layers: [String: [String: Double]], unit: String? = "us", activationBits: Int? = nil, source: String? = nil) {
        self.layers = layers
        self.unit = unit
        self.activationBits = activationBits
        self.source = source
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(path: String) throws(LoadError) -> LatencyTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(description: "\(path): cannot read") }
        let table: LatencyTable
        do { table = try JSONDecoder().decode(LatencyTable.self, from: data) } catch {
            throw LoadError(description: "\(path): not a latency table (\(error))")
        }
        if let unit = table.unit, !["us", "µs"].contains(unit) {
            throw LoadError(description: "\(path): unit must be \"us\" (microseconds), got \"\(unit)\"")
        }
        return table
    }

    /// Microseconds of `layer` at `bits`, if listed.
    public func latency(layer: String, bits: Int) -> Double? { layers[layer]?[String(bits)] }
}
