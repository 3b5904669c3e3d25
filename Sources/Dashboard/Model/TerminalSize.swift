public struct TerminalSize: Sendable, Equatable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }

    /// Below this every panel cannot be legible, so a "too small" screen is shown.
    public static let minimum = TerminalSize(width: 80, height: 24)

    public var fitsMinimum: Bool { width >= Self.minimum.width && height >= Self.minimum.height }
    public var description: String { "\(width)×\(height)" }
}
