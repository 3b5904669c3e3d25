import Foundation

/// Appends events to a JSON Lines file as they happen, one flushed line each, so
/// that an interrupted run still leaves a readable recording.
public final class EventLogWriter {
    private let handle: FileHandle
    public let path: String

    /// - Parameter append: continue an existing log (a resumed run) instead of starting anew.
    public init(path: String, append: Bool = false) throws {
        self.path = path
        let fm = FileManager.default
        if !append || !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else {
                throw EventLogError(path: path, line: nil, reason: "cannot create the event log (does the directory exist and is it writable?)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw EventLogError(path: path, line: nil, reason: "cannot open the event log for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    public func write(_ record: EventRecord) throws {
        let line = try EventLog.line(for: record) + "\n"
        try handle.write(contentsOf: Data(line.utf8))
    }

    deinit { try? handle.close() }
}
