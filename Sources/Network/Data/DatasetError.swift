import Tensor

/// Why images or labels could not be loaded; one line naming the file.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unsupportedDataType(path: String, dataType: String)
    case shapeMismatch(path: String, detail: String)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case missingFiles(directory: String, expected: String)
    case invalidConfig(path: String, reason: String)
    /// A size, count or label read from a file that is negative, not an integer,
    /// overflowing or over `AllocationLimit`; its `what` names the file and field.
    case untrustedSize(UntrustedSizeError)

    /// One line with control characters escaped: paths and header text come from the user and the file, and the
    /// terminal must not execute them.
    public var description: String { TerminalText.sanitized(unescapedDescription) }

    private var unescapedDescription: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .malformed(path, reason): return "\(path): \(reason)"
        case let .unsupportedDataType(path, dataType): return "\(path): unsupported element type \(dataType)"
        case let .shapeMismatch(path, detail): return "\(path): \(detail)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .missingFiles(directory, expected): return "\(directory) holds no dataset; expected \(expected)"
        case let .invalidConfig(path, reason): return "model config \(path): \(reason)"
        case let .untrustedSize(error): return error.description
        }
    }
}

extension DatasetError {
    /// Runs size arithmetic on numbers from a data file, reporting a refused
    /// size as `.untrustedSize` (the error already names the file and field).
    static func checking<T>(_ body: () throws(UntrustedSizeError) -> T) throws(DatasetError) -> T {
        do { return try body() } catch { throw .untrustedSize(error) }
    }
}

extension DatasetError {
    /// A data or config file that could not be read whole (missing, not a regular file, over the size cap).
    init(_ failure: RegularFile.Failure) {
        self = .unreadable(path: failure.path, reason: failure.reason)
    }
}
