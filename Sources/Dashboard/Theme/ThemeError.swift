/// A theme that cannot be used, with where the problem is.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line of a malformed entry; nil for problems with the file as a whole.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
