import Foundation
import Tensor

/// Reads files brecq did not choose the contents of (checkpoints, caches):
/// only a regular file, never a FIFO that blocks, a device, a directory or —
/// unless asked — a symbolic link planted in place of the file, and never more
/// bytes than one allocation may take.
public enum RegularFile {
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Whether `path` names something (a link counts, whatever it points to).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The whole file. `followingLinks` is for paths the user gave (a model
    /// reached through a link is the user's choice); files inside a directory
    /// brecq manages are read without following links.
    public static func read(_ path: String, followingLinks: Bool = false) throws(ReadError) -> Data {
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW)
        let fd = open(path, flags)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "is a symbolic link (not followed)" : String(cString: strerror(errno))
            throw ReadError(path: path, reason: reason)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ReadError(path: path, reason: "not a regular file") }
        do { try AllocationLimit.check(Int(info.st_size), elementSize: 1, path) } catch {
            throw ReadError(path: path, reason: error.reason)
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
            // A file that grows while read is still held to the limit.
            guard data.count <= AllocationLimit.bytes else {
                throw ReadError(path: path, reason: "larger than the limit of \(AllocationLimit.bytes / 1_048_576) MiB")
            }
        }
        return data
    }
}
