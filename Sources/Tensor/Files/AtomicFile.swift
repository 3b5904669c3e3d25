import Foundation

/// Writes a file so that readers see either the old contents or the new, never
/// a part: the bytes go to a temporary file in the same directory, are synced,
/// then renamed over the target (rename is atomic within one file system and
/// replaces a link at the target rather than following it), and the directory
/// is synced so that the rename itself survives a crash.
///
/// The temporary file is created with O_EXCL|O_NOFOLLOW under a name with 64
/// random bits, so nothing planted in the directory beforehand — a link at a
/// guessable name, a file of another process — is ever opened or written
/// through; it is readable by the owner only until it holds the whole content.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Whether `name` has the shape of a temporary name for `fileName`: `.NAME.` + 16 hex digits + `.tmp`.
    public static func isTemporaryName(_ name: String, of fileName: String) -> Bool {
        let prefix = "." + fileName + ".", suffix = ".tmp"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count == prefix.count + 16 + suffix.count else { return false }
        return name.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy(\.isHexDigit)
    }

    /// Replaces `path` with `data`; the file ends with `mode` less the process's umask.
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WriteError(path: path, reason: "directory \(directory) does not exist")
        }
        var fd: Int32 = -1
        var temporary = ""
        // A clash with an existing name (planted or not) is refused by O_EXCL; a fresh name is tried.
        for _ in 0..<8 {
            var random = SystemRandomNumberGenerator()
            let suffix = String(random.next() as UInt64, radix: 16)
            temporary = directory + "/.\(url.lastPathComponent).\(String(repeating: "0", count: 16 - suffix.count) + suffix).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw WriteError(path: path, reason: "cannot write: \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fchmod(fd, mode & ~ProcessUmask.value) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: "cannot write: \(failure)")
        }
        syncDirectory(directory)
    }

    /// Makes a rename in `directory` durable. Best effort: some file systems
    /// refuse fsync on a directory, and the data itself is already synced.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
