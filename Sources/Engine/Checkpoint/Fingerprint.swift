import Foundation

/// FNV-1a (64 bit) over bytes: enough to tell that a checkpoint belongs to
/// another model or other data, not a cryptographic hash.
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

    static func ofFile(_ path: String) throws -> String {
        var f = Fingerprint()
        f.add(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        return f.hex
    }
}
