import Foundation

/// Which model an evaluation measured. In the event log it stays the string
/// older recordings hold ("fp", "quantized", "quantized (3/11 units)"), so
/// logs written before and after this type read the same.
public enum EvaluationSubject: Sendable, Equatable, Codable, CustomStringConvertible {
    case fp
    /// The quantized model with `done` of `total` units reconstructed; nil when
    /// the recording does not say (older logs wrote plain "quantized" for the finished model).
    case quantized(UnitCount?)

    public struct UnitCount: Sendable, Equatable {
        public var done: Int
        public var total: Int
        public init(done: Int, total: Int) { self.done = done; self.total = total }
    }

    /// Whether units were still unreconstructed when this was measured.
    public var isPartial: Bool {
        if case .quantized(let count?) = self { count.done < count.total } else { false }
    }

    /// For people: "fp", "quantized", or "quantized (3/11 units)" only while units remain.
    public var label: String { isPartial ? description : self == .fp ? "fp" : "quantized" }

    /// The event log's string (counts included whenever known).
    public var description: String {
        switch self {
        case .fp: "fp"
        case .quantized(nil): "quantized"
        case .quantized(let count?): "quantized (\(count.done)/\(count.total) units)"
        }
    }

    /// Reads the log's string; nil for text that names no subject.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "fp" { self = .fp; return }
        if t == "quantized" { self = .quantized(nil); return }
        guard let match = t.wholeMatch(of: /quantized \((\d+)\/(\d+) units\)/),
              let done = Int(match.1), let total = Int(match.2), done >= 0, total >= done else { return nil }
        self = .quantized(UnitCount(done: done, total: total))
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let subject = EvaluationSubject(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown evaluation model '\(text)' (expected fp, quantized or quantized (k/n units))")
        }
        self = subject
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
