import Foundation
import Network

/// FNV-1a (64 bit) over the bytes that determine a sensitivity table: the
/// model's weights, the calibration images and the measurement settings. Not
/// cryptographic — it only has to tell one model or data set from another so
/// that a cached table is never used for the wrong one.
public struct ContentHash: Sendable, Equatable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        for b in bytes {
            value ^= UInt64(b)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    public mutating func add(floats: [Float]) { floats.withUnsafeBytes { add(bytes: $0) } }

    public mutating func add(_ text: String) {
        add(bytes: Array(text.utf8))
        add(bytes: [0])   // separator: "ab","c" and "a","bc" differ
    }

    /// Names, kinds and weights of every conv/linear node, in order.
    public mutating func add(graph: Graph) {
        for node in graph.nodes {
            add(node.name)
            add(node.operation.kindName)
            switch node.operation {
            case .convolution(let p): add(floats: p.weight.data); add(floats: p.bias.data)
            case .linear(let p): add(floats: p.weight.data); add(floats: p.bias.data)
            default: break
            }
        }
    }

    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
