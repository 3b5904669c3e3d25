import Foundation

/// FNV-1a (64 bit) over bytes: short names that tell checkpoint directories
/// apart. Not a digest of content (checkpoints use SHA-256 for that).
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        for b in bytes {
            value ^= UInt64(b)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    mutating func add(floats: [Float]) {
        floats.withUnsafeBytes { add(bytes: $0) }
    }

    var hex: String { String(value, radix: 16) }
}
