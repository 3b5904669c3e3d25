import Foundation
import Tensor

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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        activationBits = try c.decodeWholeNumberIfPresent(forKey: .activationBits)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        layers = try c.decode([String: [String: Double]].self, forKey: .layers)
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

    /// Largest table file read: 100 000 layers × a few bit widths fit in a few MB.
    public static let maximumFileBytes = 16 << 20
    /// Most layers one table may list.
    public static let maximumLayers = 100_000
    /// Largest latency of one layer, in microseconds (a thousand seconds).
    public static let maximumMicroseconds = 1e9

    public static func load(path: String) throws(LoadError) -> LatencyTable {
        let data: Data
        do { data = try RegularFile.read(path, what: "a latency table (JSON)", limit: maximumFileBytes, symbolicLinks: .followed) } catch {
            throw LoadError(description: error.description)
        }
        return try decode(data, source: path)
    }

    /// Parses and checks a latency table held in memory; every error is one line
    /// starting with `source` and naming the field. Callable on any bytes (the fuzz targets).
    public static func decode(_ data: Data, source: String = "latency table") throws(LoadError) -> LatencyTable {
        func fail(_ text: String) -> LoadError { LoadError(description: "\(source): \(text)") }
        if let duplicate = JSONDuplicateKey.first(in: data) {
            throw fail("\(TerminalText.sanitized(duplicate)): listed twice")
        }
        var table: LatencyTable
        do { table = try JSONDecoder().decode(LatencyTable.self, from: data) } catch {
            let text = DecodingErrorText.describe(error)
            throw fail(text == "not valid JSON" ? "not valid JSON (expected {\"unit\": \"us\", \"layers\": {\"name\": {\"4\": 20.1}}})" : text)
        }
        if let unit = table.unit, !["us", "µs"].contains(unit) {
            throw fail("unit: must be \"us\" (microseconds), got \"\(TerminalText.sanitized(String(unit.prefix(40))))\"")
        }
        if let bits = table.activationBits, let problem = BitWidth.problem(bits, for: .activations) {
            throw fail("activation_bits: \(problem)")
        }
        if table.layers.count > maximumLayers { throw fail("layers: \(table.layers.count) layers, more than the limit \(maximumLayers)") }
        for (name, entries) in table.layers.sorted(by: { $0.key < $1.key }) {
            let field = "layers.\(TerminalText.sanitized(name))"
            if name.isEmpty { throw fail("layers: a layer with an empty name") }
            for (key, microseconds) in entries.sorted(by: { $0.key < $1.key }) {
                let entry = "\(field).\(TerminalText.sanitized(key))"
                guard let bits = Int(key), (1...32).contains(bits), String(bits) == key else {
                    throw fail("\(entry): the keys of a layer are weight bit widths such as \"4\"")
                }
                guard microseconds.isFinite, microseconds >= 0, microseconds <= maximumMicroseconds else {
                    throw fail("\(entry): must be a latency in 0…\(Int(maximumMicroseconds)) µs, got \(String(format: "%g", microseconds))")
                }
            }
        }
        table.source = table.source.map { TerminalText.sanitized($0) }
        return table
    }

    /// Microseconds of `layer` at `bits`, if listed.
    public func latency(layer: String, bits: Int) -> Double? { layers[layer]?[String(bits)] }
}
