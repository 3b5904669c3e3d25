import Foundation
import Tensor

/// A recorded event log as `brecq replay` plays it: every readable event, in
/// order, with the lines that could not be read skipped and counted rather than
/// ending the replay (a run killed mid-write leaves half a last line; a log
/// edited by hand may hold a bad line or two).
public struct Recording: Sendable {
    /// The path as the user gave it, for messages.
    public var path: String
    public var records: [EventRecord]
    /// Lines that were not events, or whose time went backwards.
    public var skippedLines = 0
    /// The first skipped line's number and why it was skipped.
    public var firstSkipped: (line: Int, reason: String)?

    /// Reads and parses `path`; refuses a file that is not a readable regular
    /// file, that is too large, or that holds no events at all.
    public static func load(path: String) throws(RecordingError) -> Recording {
        let data: Data
        do { data = try RegularFile.read(path, what: "an event log (JSON Lines)", limit: EventLog.maximumBytes, symbolicLinks: .followed) } catch {
            throw RecordingError(description: error.description)
        }
        return try Recording(data: data, path: path)
    }

    /// Parses a recording held in memory (the fuzz targets call this on any bytes).
    public init(data: Data, path: String) throws(RecordingError) {
        self.path = path
        records = []
        var decoder = RecordingLineDecoder()
        for line in EventLog.lines(of: data) {
            switch decoder.decode(line.bytes) {
            case .success(let record): records.append(record)
            case .failure(let error): skip(line.number, line.complete ? error.reason : "cut short (no newline at the end)")
            }
        }
        if records.isEmpty {
            let unreadable = skippedLines == 0 ? "" : " (\(skippedLines) unreadable line\(skippedLines == 1 ? "" : "s"); first: \(firstSkippedText))"
            throw RecordingError(description: "recording \(TerminalText.sanitized(path)) holds no events\(unreadable)")
        }
    }

    private mutating func skip(_ line: Int, _ reason: String) {
        skippedLines += 1
        if firstSkipped == nil { firstSkipped = (line, reason) }
    }

    private var firstSkippedText: String {
        firstSkipped.map { "line \($0.line): \($0.reason)" } ?? ""
    }

    /// "skipped 3 unreadable lines of run.jsonl (first: line 17: …)", or nil when every line was read.
    public var skippedNotice: String? {
        guard skippedLines > 0 else { return nil }
        return "skipped \(skippedLines) unreadable line\(skippedLines == 1 ? "" : "s") of \(TerminalText.sanitized(path)) (first: \(firstSkippedText))"
    }

    /// Said when playback reaches the last event.
    public var endNotice: String { "end of recording \(TerminalText.sanitized(path)) (\(records.count) events)" }
}

/// The rules for one line of a recording, shared by `Recording` (a whole file)
/// and `FollowReader` (a file still being written): an event, or the reason the
/// line is skipped — not an event, or a time before the previous event's.
struct RecordingLineDecoder {
    private var lastTime: Double?

    mutating func decode(_ line: Data) -> Result<EventRecord, EventLineError> {
        let record: EventRecord
        do { record = try EventLog.record(fromLine: line) } catch { return .failure(error) }
        if let lastTime, record.time < lastTime {
            return .failure(EventLineError(reason: "time \(EventFieldValidator.short(record.time)) is before the previous event's \(EventFieldValidator.short(lastTime))"))
        }
        lastTime = record.time
        return .success(record)
    }
}

/// A recording that cannot be played at all, in one line.
public struct RecordingError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
