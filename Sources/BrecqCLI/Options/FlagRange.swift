import ArgumentParser

/// The valid range of a numeric flag, checked before any work starts, with one
/// line that names the flag, the bound and the value given:
/// "--iters must be at least 1, got -5". (Negative values reach here because
/// numeric options parse `.unconditional`: ArgumentParser would otherwise take
/// `-5` for a flag and say "Missing value".)
enum FlagRange {
    static func check<T: BinaryInteger>(_ value: T, _ flag: String, _ range: ClosedRange<T>) throws {
        if value < range.lowerBound { throw ValidationError("\(flag) must be at least \(range.lowerBound), got \(value)") }
        if value > range.upperBound { throw ValidationError("\(flag) must be at most \(range.upperBound), got \(value)") }
    }

    static func check(_ value: Double, _ flag: String, _ range: ClosedRange<Double>) throws {
        guard value.isFinite else { throw ValidationError("\(flag) must be a finite number, got \(value)") }
        if value < range.lowerBound { throw ValidationError("\(flag) must be at least \(show(range.lowerBound)), got \(show(value))") }
        if value > range.upperBound { throw ValidationError("\(flag) must be at most \(show(range.upperBound)), got \(show(value))") }
    }

    /// A value strictly between two bounds (learning rates).
    static func check(_ value: Double, _ flag: String, above low: Double, below high: Double) throws {
        guard value.isFinite, value > low, value < high else {
            throw ValidationError("\(flag) must be greater than \(show(low)) and less than \(show(high)), got \(show(value))")
        }
    }

    /// 1 rather than 1.0, 0.01 as written.
    static func show(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
