import Foundation

/// Reads a whole file brecq did not write the contents of — a model, a data
/// file, a recording, a bits file, a checkpoint, a cache entry — with a size
/// cap, refusing what is not a regular file: a directory is "is a directory;
/// expected …" instead of NSCocoaErrorDomain 256, a FIFO or /dev/zero cannot
/// hang the reader or fill memory, a 40 GB file is refused by its size, and a
/// symbolic link planted in a directory brecq manages is not followed.
///
/// The checks are made with `fstat` on the descriptor that is then read, not
/// with `stat` on the name before opening it: whatever replaces the name in
/// between is either what was checked or not read at all.
public enum RegularFile {
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public var path: String
        public var reason: String
        /// Nothing has the name: callers that treat a missing file as "none yet" or explain what should be there.
        public var isMissing: Bool
        public init(path: String, reason: String, isMissing: Bool = false) {
            self.path = path; self.reason = reason; self.isMissing = isMissing
        }
        public var description: String { "\(path): \(reason)" }
    }

    /// Whether a symbolic link at the name is read through. A path the user
    /// typed may be a link (their choice); a file inside a directory brecq
    /// manages is never read through one someone else planted there.
    public enum SymbolicLinks: Sendable { case followed, refused }

    /// Whether `path` names something (a link counts, whatever it points to).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The file's bytes, at most `limit` of them; `what` says what the file should be ("an event log (JSON Lines)").
    public static func read(_ path: String, what: String, limit: Int = AllocationLimit.bytes,
                            symbolicLinks: SymbolicLinks) throws(Failure) -> Data {
        precondition(limit >= 0, "a negative size cap for \(what)")
        // O_NONBLOCK: opening a FIFO without a writer would otherwise block before fstat can refuse it.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (symbolicLinks == .refused ? O_NOFOLLOW : 0)
        let fd = open(path, flags)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw Failure(path: path, reason: "no such file", isMissing: true)
            case ELOOP where symbolicLinks == .refused: throw Failure(path: path, reason: "is a symbolic link (not followed)")
            default: throw Failure(path: path, reason: "cannot open (\(String(cString: strerror(code))))")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw Failure(path: path, reason: "cannot read (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Failure(path: path, reason: "is a directory; expected \(what)")
        default: throw Failure(path: path, reason: "is not a regular file; expected \(what)")
        }
        guard info.st_size <= off_t(limit) else {
            throw Failure(path: path, reason: "\(info.st_size) bytes is larger than the limit of \(limit) bytes for \(what)\(raisedBy(limit))")
        }
        return try readToEnd(fd, path: path, what: what, limit: limit, expected: Int(info.st_size))
    }

    /// Reads to end of file, not to the size fstat gave: the file may grow (a
    /// live recording) or be shorter by now. Never reads more than one byte
    /// past `limit`, which is how a file that grew past it is noticed.
    private static func readToEnd(_ fd: Int32, path: String, what: String, limit: Int, expected: Int) throws(Failure) -> Data {
        var data = Data()
        data.reserveCapacity(expected)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            // One byte past the cap at most (written so that a cap of Int.max cannot overflow).
            let room = limit - data.count
            let wanted = room < chunk.count ? room + 1 : chunk.count
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, wanted) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: "cannot read (\(String(cString: strerror(errno))))")
            }
            if n == 0 { return data }
            guard n <= room else {
                throw Failure(path: path, reason: "grew past the limit of \(limit) bytes for \(what) while being read\(raisedBy(limit))")
            }
            data.append(contentsOf: chunk[0..<n])
        }
    }

    /// How to raise the limit when it is the allocation cap (a file's own cap, e.g. a bits file's, is fixed).
    private static func raisedBy(_ limit: Int) -> String {
        limit == AllocationLimit.bytes ? " (BRECQ_MAX_TENSOR_BYTES raises it)" : ""
    }
}
