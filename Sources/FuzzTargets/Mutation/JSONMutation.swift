import Foundation

/// Structure-aware edits of JSON inputs: one value (or container) replaced by
/// a number that breaks arithmetic (1e300, NaN, −1, INT64_MAX, INT64_MIN), a
/// value of another type, or removed.
enum JSONMutation {
    /// Literal JSON text put in place of the chosen value (NaN and Infinity are not JSON, which is the point).
    static let hostileLiterals = ["1e300", "-1e300", "NaN", "Infinity", "-1", "0", "9223372036854775807", "-9223372036854775808",
                                  "2147483648", "-2147483648", "1e30", "0.5", "\"\"", "\"x\"", "\"\\u001b]0;pwned\\u0007\"", "[]",
                                  "{}", "null", "true", "[1e300]", "18446744073709551616",
                                  // In-range values too, so that edits also reach the code after validation.
                                  "2", "3", "8", "32", "[2, 4, 8]"]
    private static let placeholder = "@@brecq-fuzz@@"

    static func mutate(_ input: Data, random: (Int) -> Int) -> Data? {
        guard let root = try? JSONSerialization.jsonObject(with: input, options: [.fragmentsAllowed]) else { return nil }
        var paths: [[PathComponent]] = []
        collect(root, path: [], into: &paths)
        guard !paths.isEmpty else { return nil }
        let path = paths[random(paths.count)]
        let remove = random(6) == 0 && !path.isEmpty
        let literal = hostileLiterals[random(hostileLiterals.count)]
        let edited = replacing(root, at: path[...], with: remove ? nil : placeholder)
        guard let edited, let data = try? JSONSerialization.data(withJSONObject: edited, options: [.fragmentsAllowed]) else { return nil }
        return Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(placeholder)\"", with: literal).utf8)
    }

    /// One line of a JSON Lines file mutated, or a line duplicated or dropped.
    static func mutateLine(_ input: Data, random: (Int) -> Int) -> Data? {
        var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
        guard !lines.isEmpty else { return nil }
        let k = random(lines.count)
        switch random(4) {
        case 0: lines.insert(lines[k], at: random(lines.count + 1))
        case 1: lines.remove(at: k)
        default:
            guard let edited = mutate(lines[k], random: random) else { return nil }
            lines[k] = edited
        }
        return Data(lines.joined(separator: Data("\n".utf8)))
    }

    enum PathComponent { case key(String), index(Int) }

    private static func collect(_ value: Any, path: [PathComponent], into paths: inout [[PathComponent]]) {
        paths.append(path)
        if let object = value as? [String: Any] {
            for (key, child) in object.sorted(by: { $0.key < $1.key }) { collect(child, path: path + [.key(key)], into: &paths) }
        } else if let array = value as? [Any] {
            for (i, child) in array.enumerated().prefix(64) { collect(child, path: path + [.index(i)], into: &paths) }
        }
    }

    /// `value` with the element at `path` replaced by `new` (removed when nil).
    private static func replacing(_ value: Any, at path: ArraySlice<PathComponent>, with new: Any?) -> Any? {
        guard let first = path.first else { return new }
        switch first {
        case .key(let key):
            guard var object = value as? [String: Any] else { return value }
            object[key] = object[key].flatMap { replacing($0, at: path.dropFirst(), with: new) }
            return object
        case .index(let i):
            guard var array = value as? [Any], array.indices.contains(i) else { return value }
            if let replaced = replacing(array[i], at: path.dropFirst(), with: new) { array[i] = replaced } else { array.remove(at: i) }
            return array
        }
    }
}
