import Foundation
import Network
import Tensor

/// Seeded mutations of one input: bit flips, interesting bytes, range
/// insertion, deletion and duplication, truncation, splices with another
/// corpus file, and structure-aware edits for ONNX and JSON. The same seed
/// gives the same sequence of inputs, so a CI failure reproduces.
struct Mutator {
    private var random: SplitMix64
    /// Inputs are kept below this size so that the mutator itself stays cheap.
    static let maxInputSize = 4 << 20

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    mutating func mutate(_ input: Data, format: InputFormat, corpus: [Data]) -> Data {
        var out = input
        for _ in 0..<(1 + below(3)) {
            if below(2) == 0, let edited = structural(out, format: format) {
                out = edited
            } else {
                out = bytes(out, corpus: corpus)
            }
        }
        return out.count > Self.maxInputSize ? out.prefix(Self.maxInputSize) : out
    }

    private mutating func structural(_ input: Data, format: InputFormat) -> Data? {
        switch format {
        case .onnx: return ONNXStructuralMutation.mutate(input) { below($0) }
        case .json: return JSONMutation.mutate(input) { below($0) }
        case .jsonLines: return JSONMutation.mutateLine(input) { below($0) }
        case .text: return lineEdit(input)
        case .binary: return headerEdit(input)
        }
    }

    private mutating func bytes(_ input: Data, corpus: [Data]) -> Data {
        var b = [UInt8](input)
        let interesting: [UInt8] = [0, 1, 0x7f, 0x80, 0xff, 0x1b, 0x07, 0x0a, 0x22, 0x2c, 0x5b, 0x7b]
        switch below(8) {
        case 0 where !b.isEmpty:
            b[below(b.count)] ^= UInt8(1 << below(8))
        case 1 where !b.isEmpty:
            b[below(b.count)] = interesting[below(interesting.count)]
        case 2:
            let at = below(b.count + 1)
            b.insert(contentsOf: (0..<(1 + below(16))).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 3 where !b.isEmpty:
            let start = below(b.count)
            b.removeSubrange(start..<min(b.count, start + 1 + below(64)))
        case 4 where !b.isEmpty:
            let start = below(b.count), end = min(b.count, start + 1 + below(256))
            b.insert(contentsOf: b[start..<end], at: below(b.count + 1))
        case 5 where !b.isEmpty:
            b.removeLast(below(b.count))
        case 6 where !corpus.isEmpty:
            let other = [UInt8](corpus[below(corpus.count)])
            let cut = below(b.count + 1), from = below(other.count + 1)
            b = Array(b[..<cut]) + Array(other[from...])
        default:
            // A 4- or 8-byte little- or big-endian integer: sizes in binary headers.
            guard b.count >= 8 else { b.append(UInt8(truncatingIfNeeded: random.next())); break }
            let at = below(b.count - 7)
            let values: [UInt64] = [0, .max, 1 << 31, 1 << 32 - 1, 1 << 40, 1 << 62, UInt64(bitPattern: -1)]
            let v = values[below(values.count)]
            for i in 0..<(below(2) == 0 ? 4 : 8) { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
        }
        return Data(b)
    }

    /// Theme files: duplicate, drop or cross a line with a hostile value.
    private mutating func lineEdit(_ input: Data) -> Data? {
        var lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return nil }
        let k = below(lines.count)
        let values = ["\"\"", "\"#\"", "\"#FFFFFFFFFF\"", "\"#GGGGGG\"", "\"\u{1B}]0;pwned\u{07}\"", String(repeating: "x", count: 1000), "\"#-1-1-1\""]
        switch below(3) {
        case 0: lines.insert(lines[k], at: below(lines.count + 1))
        case 1: lines.remove(at: k)
        default:
            if let eq = lines[k].firstIndex(of: "=") { lines[k] = String(lines[k][...eq]) + values[below(values.count)] }
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// IDX and NPY: a header dimension replaced by a hostile one.
    private mutating func headerEdit(_ input: Data) -> Data? {
        var b = [UInt8](input)
        if b.count >= 8, b[0] == 0, b[1] == 0 {  // IDX: big-endian UInt32 dimensions after the magic.
            let rank = Int(b[3])
            guard rank >= 1, b.count >= 4 + 4 * rank else { return nil }
            let values: [UInt32] = [0, 1, .max, 1 << 31, 65_536]
            let v = values[below(values.count)], at = 4 + 4 * below(rank)
            for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(3 - i))) }
            return Data(b)
        }
        if b.count >= 10, b[0] == 0x93 {  // NPY: the shape tuple in the text header.
            let text = String(decoding: b, as: UTF8.self)
            guard let open = text.range(of: "'shape': ("), let close = text[open.upperBound...].firstIndex(of: ")") else { return nil }
            let shapes = ["4611686018427387904, 2", "-1,", "", "9223372036854775807, 9223372036854775807", "2, 2, 2, 2, 2", "0,"]
            let replaced = text.replacingCharacters(in: open.upperBound..<close, with: shapes[below(shapes.count)])
            // The header length field is left as it was: a mismatch is itself a useful input.
            return Data(replaced.utf8)
        }
        return nil
    }
}
