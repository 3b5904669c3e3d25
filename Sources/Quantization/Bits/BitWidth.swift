/// The bit widths a layer can be quantized to: the one place their range is
/// written. Weights take 2…8 bits; activations 2…8, or 32 for "not quantized"
/// (the A32 of W4A32).
public enum BitWidth {
    /// Widths of an integer grid (weights, and activations that are quantized).
    public static let range = 2...8
    /// The activation width that means "left in floating point".
    public static let floatingPoint = 32

    public enum Role: Sendable {
        case weights, activations
    }

    public static func isValid(_ bits: Int, for role: Role) -> Bool {
        range.contains(bits) || (role == .activations && bits == floatingPoint)
    }

    /// "must be in 2…8, got 9" (weights) or "must be in 2…8 or 32, got 9"
    /// (activations), to follow a field or flag name; nil when `bits` is valid.
    public static func problem(_ bits: Int, for role: Role) -> String? {
        if isValid(bits, for: role) { return nil }
        let allowed = "\(range.lowerBound)…\(range.upperBound)" + (role == .activations ? " or \(floatingPoint)" : "")
        return "must be in \(allowed), got \(bits)"
    }
}
