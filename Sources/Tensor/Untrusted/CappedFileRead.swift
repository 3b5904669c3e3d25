import Foundation

/// Reads a whole file a user named (a recording, a bits file, a latency table)
/// with a size cap, refusing what is not a regular file first: a directory gives
/// "is a directory" instead of NSCocoaErrorDomain 256, a FIFO or /dev/zero
/// cannot hang the reader or fill memory, and a 40 GB file is refused by its size.
public enum CappedFileRead {
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String { "\(path): \(reason)" }
    }

    /// The file's bytes, at most `limit` of them; `what` says what the file should be ("an event log").
    public static func contents(of path: String, limit: Int, what: String) throws(Failure) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(path: path, reason: errno == ENOENT ? "no such file" : "cannot read (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Failure(path: path, reason: "is a directory; expected \(what)")
        default: throw Failure(path: path, reason: "is not a regular file; expected \(what)")
        }
        guard info.st_size <= off_t(limit) else {
            throw Failure(path: path, reason: "\(info.st_size) bytes is larger than the limit of \(limit) bytes for \(what)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, reason: "cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        // Read to end of file, not to st_size: the file may grow (a live recording)
        // or be shorter than stat said; never past the cap.
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: "cannot read (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            guard data.count + n <= limit else {
                throw Failure(path: path, reason: "larger than the limit of \(limit) bytes for \(what)")
            }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }
}
