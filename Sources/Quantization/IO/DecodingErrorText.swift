import Foundation
import Tensor

/// A `DecodingError` as one line naming the field by its path in the file
/// ("layers.conv1.wbits: expected a whole number"), with names from the file escaped
/// for the terminal. Foundation's own descriptions span lines and name Swift types.
public enum DecodingErrorText {
    public static func describe(_ error: any Error) -> String {
        func field(_ path: [any CodingKey]) -> String {
            // List positions come as keys named "Index 3"; dictionary keys such as "4" also have an intValue.
            TerminalText.sanitized(path.map { key in
                if key.stringValue.hasPrefix("Index "), let i = key.intValue { return "[\(i)]" }
                return key.stringValue
            }.joined(separator: "."))
        }
        func expected(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type, is Int64.Type, is UInt64.Type: "a whole number"
            case is Double.Type, is Float.Type: "a number"
            case is String.Type: "a string"
            case is Bool.Type: "true or false"
            default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
            }
        }
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "\(field(ctx.codingPath + [key])): missing"
        case DecodingError.typeMismatch(let type, let ctx):
            return "\(field(ctx.codingPath)): expected \(expected(type))"
        case DecodingError.valueNotFound(let type, let ctx):
            return "\(field(ctx.codingPath)): expected \(expected(type)), got null"
        case DecodingError.dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "not valid JSON" }
            // A number too large for its field ("1e300" as an integer) lands here.
            return "\(field(ctx.codingPath)): \(TerminalText.sanitized(ctx.debugDescription))"
        default:
            return TerminalText.sanitized("\(error)").split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }
}
