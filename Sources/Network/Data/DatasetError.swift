/// Why images or labels could not be loaded; one line naming the file.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unsupportedDataType(path: String, dataType: String)
    case shapeMismatch(path: String, detail: String)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case missingFiles(directory: String, expected: String)
    case invalidConfig(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .malformed(path, reason): return "\(path): \(reason)"
        case let .unsupportedDataType(path, dataType): return "\(path): unsupported element type \(dataType)"
        case let .shapeMismatch(path, detail): return "\(path): \(detail)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .missingFiles(directory, expected): return "\(directory) holds no dataset; expected \(expected)"
        case let .invalidConfig(path, reason): return "model config \(path): \(reason)"
        }
    }
}
