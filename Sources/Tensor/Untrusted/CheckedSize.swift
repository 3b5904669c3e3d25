import Foundation

/// A number read from a file that cannot be a size: negative, not an integer,
/// not finite, overflowing, or over a limit. `what` names the field and where it
/// came from (file, node, attribute), so the message needs no more context.
public struct UntrustedSizeError: Error, CustomStringConvertible, Equatable, Sendable {
    public var what: String
    public var reason: String
    public init(what: String, reason: String) {
        self.what = what
        self.reason = reason
    }
    public var description: String { "\(what): \(reason)" }
}

/// The one way numbers from files, headers, attributes and event logs become
/// sizes, counts and indices. Every reader goes through here, so overflow,
/// negative values, NaN and absurd sizes give an error naming the field instead
/// of a trap (Swift's `*` and `Int(_: Double)` trap; `reduce(1, *)` passes
/// `[-1, -1]` as 1).
public enum CheckedSize {
    /// A count or dimension: an integer in `0...limit`.
    public static func count<T: BinaryInteger>(_ value: T, _ what: @autoclosure () -> String,
                                                 limit: Int = .max) throws(UntrustedSizeError) -> Int {
        guard value >= 0 else { throw UntrustedSizeError(what: what(), reason: "negative (\(value))") }
        guard let v = Int(exactly: value), v <= limit else {
            throw UntrustedSizeError(what: what(), reason: "\(value) is larger than the limit \(limit)")
        }
        return v
    }

    /// A count given as a floating-point number (JSON numbers, float tensors used as
    /// shapes): finite, integral, in `0...limit`.
    public static func count(_ value: Double, _ what: @autoclosure () -> String,
                             limit: Int = .max) throws(UntrustedSizeError) -> Int {
        let i = try integer(value, what())
        return try count(i, what(), limit: limit)
    }

    /// Any integer (may be negative) given as a floating-point number: finite and integral.
    public static func integer(_ value: Double, _ what: @autoclosure () -> String) throws(UntrustedSizeError) -> Int {
        guard value.isFinite else { throw UntrustedSizeError(what: what(), reason: "\(value) is not a finite number") }
        guard let i = Int(exactly: value) else {
            throw UntrustedSizeError(what: what(), reason: "\(value) is not an integer in range")
        }
        return i
    }

    /// Any integer of another width that must fit in `Int` and in `range`.
    public static func integer<T: BinaryInteger>(_ value: T, _ what: @autoclosure () -> String,
                                                   in range: ClosedRange<Int> = Int.min...Int.max) throws(UntrustedSizeError) -> Int {
        guard let i = Int(exactly: value), range.contains(i) else {
            throw UntrustedSizeError(what: what(), reason: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return i
    }

    /// An index into a collection of `count` elements.
    public static func index<T: BinaryInteger>(_ value: T, below count: Int,
                                                 _ what: @autoclosure () -> String) throws(UntrustedSizeError) -> Int {
        guard let i = Int(exactly: value), i >= 0, i < count else {
            throw UntrustedSizeError(what: what(), reason: "index \(value) is outside 0..<\(count)")
        }
        return i
    }

    /// The product of dimensions, each non-negative and at most `limit`, without overflow, at most `limit`.
    public static func product<C: Collection>(_ dimensions: C, _ what: @autoclosure () -> String,
                                              limit: Int = .max) throws(UntrustedSizeError) -> Int where C.Element: BinaryInteger {
        var total = 1
        for (k, d) in dimensions.enumerated() {
            // Each dimension is held to the limit too: [2^40, 0] has no elements,
            // but a loop over its first axis would still run 2^40 times.
            let v = try count(d, what(), limit: limit)
            let (p, overflow) = total.multipliedReportingOverflow(by: v)
            guard !overflow, p <= limit else {
                // The message is built only on failure: this runs for every tensor of a model.
                let seen = dimensions.prefix(k + 1).map { "\($0)" }.joined(separator: ", ")
                throw UntrustedSizeError(what: what(), reason: "dimensions [\(seen)…] exceed \(limit) elements")
            }
            total = p
        }
        return total
    }

    /// `a * b` for values already checked non-negative, refusing overflow and anything over `limit`.
    public static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> String,
                                limit: Int = .max) throws(UntrustedSizeError) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow, p <= limit, p >= 0 || (a <= 0) != (b <= 0) else {
            throw UntrustedSizeError(what: what(), reason: "\(a) × \(b) is larger than the limit \(limit)")
        }
        return p
    }

    /// `a + b`, refusing overflow and anything over `limit`.
    public static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String,
                           limit: Int = .max) throws(UntrustedSizeError) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        guard !overflow, s <= limit else {
            throw UntrustedSizeError(what: what(), reason: "\(a) + \(b) is larger than the limit \(limit)")
        }
        return s
    }
}
