/// A short message in the hint bar (a refused key, a sent command) that fades after a few seconds.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    /// Monotonic time after which the notice is no longer shown.
    public var expires: Double
    public init(text: String, isError: Bool, expires: Double) {
        self.text = text; self.isError = isError; self.expires = expires
    }
}
