import Foundation

/// JSONDecoder keeps one of two equal keys in an object and drops the other
/// without a word, so a bits file listing a layer twice would quietly use one
/// of its two entries. This scan finds such a key before decoding. It walks the
/// text with an explicit stack (no recursion, so no depth can overflow it) and
/// only understands as much JSON as it needs; malformed text is left to the decoder.
public enum JSONDuplicateKey {
    /// The dotted path of the first key that appears twice in one object
    /// ("layers.conv1"), or nil when there is none or the text is not JSON.
    public static func first(in data: Data) -> String? {
        let bytes = [UInt8](data)
        struct Frame {
            var name: String
            var isObject: Bool
            var keys: Set<String> = []
            var expectingKey = true
            var lastKey = ""
            var index = 0
        }
        var stack: [Frame] = []
        func path(_ key: String) -> String {
            (stack.map(\.name).filter { !$0.isEmpty } + [key]).joined(separator: ".")
        }
        /// The name a value opened at this point gets in paths.
        func childName() -> String {
            guard let top = stack.last else { return "" }
            return top.isObject ? top.lastKey : "[\(top.index)]"
        }
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                stack.append(Frame(name: childName(), isObject: true))
                i += 1
            case UInt8(ascii: "["):
                stack.append(Frame(name: childName(), isObject: false))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !stack.isEmpty else { return nil }
                stack.removeLast()
                i += 1
            case UInt8(ascii: ","):
                guard !stack.isEmpty else { return nil }
                stack[stack.count - 1].expectingKey = stack[stack.count - 1].isObject
                stack[stack.count - 1].index += 1
                i += 1
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { escaped = true; j += 1 }
                    j += 1
                }
                guard j < bytes.count else { return nil }
                if let top = stack.last, top.isObject, top.expectingKey {
                    let token = bytes[i...j]
                    // Escapes are resolved, so "a" and "\u0061" are the same key, as for the decoder.
                    let key = escaped ? (try? JSONDecoder().decode(String.self, from: Data(token))) ?? ""
                                      : String(decoding: token.dropFirst().dropLast(), as: UTF8.self)
                    if top.keys.contains(key) { return path(key) }
                    stack[stack.count - 1].keys.insert(key)
                    stack[stack.count - 1].lastKey = key
                    stack[stack.count - 1].expectingKey = false
                }
                i = j + 1
            default:
                i += 1
            }
        }
        return nil
    }
}
