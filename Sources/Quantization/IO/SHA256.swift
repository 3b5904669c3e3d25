import CCrypto
import Foundation

/// SHA-256 digests, as lowercase hex, of what brecq must recognise again:
/// checkpoints, the model file a checkpoint was made from, cached tables.
/// A digest tells an edited, truncated or foreign file from the one written;
/// it is not a signature (whoever can write the file can write its digest).
public enum SHA256 {
    public static func hex<D: ContiguousBytes>(of bytes: D) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { raw in
            digest.withUnsafeMutableBufferPointer { brecq_sha256(raw.baseAddress, raw.count, $0.baseAddress) }
        }
        // libcrypto fails only when it cannot allocate its context.
        precondition(ok == 1, "SHA-256 failed in libcrypto")
        return digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The first characters of a digest, enough to tell two apart in a message.
    public static func short(_ hex: String) -> String { String(hex.prefix(12)) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
