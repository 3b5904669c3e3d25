import Foundation

/// Appends events to a JSON Lines file as they happen, so that an interrupted
/// run still leaves a readable recording. Each line goes out in one `write`
/// call; when a write fails or is cut short (a full disk, an I/O error) the file
/// is truncated back to the end of the last complete line and the error is
/// returned, so the recording never ends in half a line and the run can stop
/// saying why.
public final class EventLogWriter {
    private let fd: Int32
    public let path: String
    /// Bytes of complete lines written so far (where a failed write is cut back to).
    private var committed: off_t

    /// Writing a line failed; `description` is one line naming the file and the cause.
    public struct WriteFailure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        /// The path comes only from `--events`, so the message names the flag the user knows.
        public var description: String { "--events \(path): cannot write the event log: \(reason)" }
    }

    /// - Parameter append: continue an existing log (a resumed run) instead of starting anew.
    public init(path: String, append: Bool = false) throws {
        self.path = path
        // No O_NOFOLLOW here: --events may name a link the user made on purpose (the CLI's
        // pre-run check refuses directories and unwritable places before this runs).
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw WriteFailure(path: path, reason: "cannot open (\(String(cString: strerror(errno))))")
        }
        self.fd = fd
        // Devices (/dev/null, /dev/full) report 0 and cannot be truncated; that is fine.
        committed = max(0, lseek(fd, 0, SEEK_END))
    }

    public func write(_ record: EventRecord) throws {
        let line = Data((try EventLog.line(for: record) + "\n").utf8)
        let written = line.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "only \(written) of \(line.count) bytes written"
            // Take back a partial line; a device or a pipe has nothing to take back.
            if written > 0 { _ = ftruncate(fd, committed) }
            throw WriteFailure(path: path, reason: reason)
        }
        committed += off_t(written)
    }

    deinit { close(fd) }
}
