import Foundation

/// The search's hardware constraint, as the user writes it:
///
/// - `size=3.1e6`, `bops=1.2e9`, `latency=350` — absolute (bits, BOPs, µs);
/// - `size=0.75x4bit` (or `0.75x`) — a fraction of the cost with every
///   searchable layer at 4 bits (stem and classifier at their 8 bits in both);
/// - `avgbits=3` — a size budget stated as the mean weight bits over the
///   searchable layers, weighted by their weight counts (3 bits on average
///   means the searchable weights take no more room than at uniform 3 bits).
public struct Budget: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Amount: Sendable, Codable, Equatable {
        case absolute(Double)
        case relativeToUniform4Bit(Double)
        case averageWeightBits(Double)
    }

    public var measure: HardwareMeasure
    public var amount: Amount

    public init(measure: HardwareMeasure, amount: Amount) {
        self.measure = measure
        self.amount = amount
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty else {
            throw ParseError(description: "budget '\(text)': expected MEASURE=VALUE, e.g. size=0.75x4bit, bops=1.2e9, latency=350, avgbits=3")
        }
        let name = parts[0].lowercased(), value = parts[1].lowercased()
        func number(_ s: String) throws(ParseError) -> Double {
            guard let v = Double(s), v.isFinite, v > 0 else {
                throw ParseError(description: "budget '\(text)': '\(s)' is not a positive number")
            }
            // Far above any model's cost (10¹⁸ bits or BOPs; 1000× uniform 4-bit), far below overflow in the search's sums.
            let limit = value.hasSuffix("x") || value.hasSuffix("x4bit") ? 1000.0 : 1e18
            guard v <= limit else {
                throw ParseError(description: "budget '\(text)': '\(s)' is more than the largest budget \(limit == 1000 ? "1000x" : "1e18")")
            }
            return v
        }
        if name == "avgbits" {
            let bits = try number(value)
            let widths = Double(BitWidth.range.lowerBound)...Double(BitWidth.range.upperBound)
            guard widths.contains(bits) else { throw ParseError(description: "budget '\(text)': average bits must be in \(BitWidth.range.lowerBound)…\(BitWidth.range.upperBound)") }
            self.init(measure: .size, amount: .averageWeightBits(bits))
            return
        }
        guard let measure = HardwareMeasure(rawValue: name) else {
            throw ParseError(description: "budget '\(text)': unknown measure '\(parts[0])' (size, bops, latency or avgbits)")
        }
        for suffix in ["x4bit", "x"] where value.hasSuffix(suffix) {
            self.init(measure: measure, amount: .relativeToUniform4Bit(try number(String(value.dropLast(suffix.count)))))
            return
        }
        self.init(measure: measure, amount: .absolute(try number(value)))
    }

    /// The largest admissible cost under `cost` (which must use `measure`).
    public func limit(cost: HardwareCost) throws(ParseError) -> Double {
        precondition(cost.measure == measure, "budget on \(measure) resolved against a \(cost.measure) cost")
        switch amount {
        case .absolute(let v):
            return v
        case .relativeToUniform4Bit(let f):
            guard let uniform = cost.uniformCost(bits: 4) else {
                throw ParseError(description: "budget \(self) is relative to uniform 4-bit, but 4 is not a candidate bit width")
            }
            return f * uniform
        case .averageWeightBits(let bits):
            // Size is weights × bits per layer, so a layer's weight count is its cost at any candidate over that candidate.
            let weights = cost.perLayer.map { $0[0] / Double(cost.candidateBits[0]) }.reduce(0, +)
            return cost.fixed + bits * weights
        }
    }

    public var description: String {
        switch amount {
        case .absolute(let v): return "\(measure.rawValue)=\(v)"
        case .relativeToUniform4Bit(let f): return "\(measure.rawValue)=\(f)x4bit"
        case .averageWeightBits(let b): return "avgbits=\(b)"
        }
    }
}
