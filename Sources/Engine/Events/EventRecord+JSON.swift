import Foundation
import Network
import Quantization
import Tensor

/// One JSON object per line: `{"t": seconds, "type": "...", ...payload fields}`.
/// Keys are snake_case so that the log reads naturally in jq or pandas.
extension EventRecord: Codable {
    private enum Keys: String, CodingKey { case t, type, state }

    /// The `type` tag of each case, as written in the log.
    public var typeName: String {
        switch event {
        case .sessionStarted: "session_started"
        case .stateChanged: "state_changed"
        case .unitStarted: "unit_started"
        case .iteration: "iteration"
        case .rounding: "rounding"
        case .unitFinished: "unit_finished"
        case .bitsChanged: "bits_changed"
        case .rewound: "rewound"
        case .iterationsChanged: "iterations_changed"
        case .hyperparametersChanged: "hyperparameters_changed"
        case .searchSensitivity: "search_sensitivity"
        case .searchStarted: "search_started"
        case .searchGeneration: "search_generation"
        case .evaluation: "evaluation"
        case .checkpointWritten: "checkpoint_written"
        case .analysis: "analysis"
        case .estimate: "estimate"
        case .progress: "progress"
        case .message: "message"
        case .finished: "finished"
        case .exportFinished: "export_finished"
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(time, forKey: .t)
        try c.encode(typeName, forKey: .type)
        // Payload fields share the top-level object with `t` and `type`.
        switch event {
        case .sessionStarted(let p): try p.encode(to: encoder)
        case .stateChanged(let s): try c.encode(s, forKey: .state)
        case .unitStarted(let p): try p.encode(to: encoder)
        case .iteration(let p): try p.encode(to: encoder)
        case .rounding(let p): try p.encode(to: encoder)
        case .unitFinished(let p): try p.encode(to: encoder)
        case .bitsChanged(let p): try p.encode(to: encoder)
        case .rewound(let p): try p.encode(to: encoder)
        case .iterationsChanged(let p): try p.encode(to: encoder)
        case .hyperparametersChanged(let p): try p.encode(to: encoder)
        case .searchSensitivity(let p): try p.encode(to: encoder)
        case .searchStarted(let p): try p.encode(to: encoder)
        case .searchGeneration(let p): try p.encode(to: encoder)
        case .evaluation(let p): try p.encode(to: encoder)
        case .checkpointWritten(let p): try p.encode(to: encoder)
        case .analysis(let p): try p.encode(to: encoder)
        case .estimate(let p): try p.encode(to: encoder)
        case .progress(let p): try p.encode(to: encoder)
        case .message(let p): try p.encode(to: encoder)
        case .finished(let p): try p.encode(to: encoder)
        case .exportFinished(let p): try p.encode(to: encoder)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let time = try c.decode(Double.self, forKey: .t)
        let type = try c.decode(String.self, forKey: .type)
        guard time.isFinite, EventFieldLimits.time.contains(time) else {
            throw UntrustedSizeError(what: "t", reason: "\(EventFieldValidator.short(time)) is not a time in seconds within 0…\(EventFieldValidator.short(EventFieldLimits.time.upperBound))")
        }
        let event: EngineEvent
        switch type {
        case "session_started": event = .sessionStarted(try SessionInfo(from: decoder))
        case "state_changed": event = .stateChanged(try c.decode(RunState.self, forKey: .state))
        case "unit_started": event = .unitStarted(try UnitStarted(from: decoder))
        case "iteration": event = .iteration(try IterationStats(from: decoder))
        case "rounding": event = .rounding(try RoundingSnapshot(from: decoder))
        case "unit_finished": event = .unitFinished(try UnitFinished(from: decoder))
        case "bits_changed": event = .bitsChanged(try BitsChange(from: decoder))
        case "rewound": event = .rewound(try Rewound(from: decoder))
        case "iterations_changed": event = .iterationsChanged(try IterationsChange(from: decoder))
        case "hyperparameters_changed": event = .hyperparametersChanged(try Hyperparameters(from: decoder))
        case "search_sensitivity": event = .searchSensitivity(try SensitivityProgress(from: decoder))
        case "search_started": event = .searchStarted(try SearchStarted(from: decoder))
        case "search_generation": event = .searchGeneration(try GenerationStats(from: decoder))
        case "evaluation": event = .evaluation(try EvaluationResult(from: decoder))
        case "checkpoint_written": event = .checkpointWritten(try CheckpointWritten(from: decoder))
        case "analysis": event = .analysis(try AnalysisUpdate(from: decoder))
        case "estimate": event = .estimate(try RunEstimate(from: decoder))
        case "progress": event = .progress(try StageProgress(from: decoder))
        case "message": event = .message(try Message(from: decoder))
        case "finished": event = .finished(try RunSummary(from: decoder))
        case "export_finished": event = .exportFinished(try ExportFinished(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                                                   debugDescription: "unknown event type '\(TerminalText.sanitized(String(type.prefix(64))))'")
        }
        self.init(time: time, event: try event.validated(type: type))
    }
}

/// Reads and writes event logs as JSON Lines.
public enum EventLog {
    static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A diverged loss is NaN; JSON has no NaN, and refusing to write the event would lose the recording.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func makeDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// One line of JSON, without the newline.
    public static func line(for record: EventRecord) throws -> String {
        String(decoding: try makeEncoder().encode(record), as: UTF8.self)
    }

    /// Parses a whole log; errors name the file and the line. Every line must be
    /// an event (a checkpoint's own log); `EventLogReading` is the tolerant reader
    /// for recordings.
    public static func read(contentsOf url: URL) throws -> [EventRecord] {
        let data: Data
        do { data = try RegularFile.read(url.path, what: "an event log (JSON Lines)", limit: maximumBytes, symbolicLinks: .followed) } catch {
            throw EventLogError(path: url.path, line: nil, reason: error.reason)
        }
        return try records(from: data, path: url.path)
    }

    /// Largest event log read into memory (a day-long run at the default rate is a few hundred MB).
    public static var maximumBytes: Int { min(AllocationLimit.bytes, 1 << 30) }

    /// Parses a whole log held in memory, strictly: the first bad line is an
    /// error naming `path` and the line. Callable on any bytes (the fuzz targets).
    public static func records(from data: Data, path: String) throws(EventLogError) -> [EventRecord] {
        var records: [EventRecord] = []
        for line in lines(of: data) {
            do { records.append(try record(fromLine: line.bytes)) } catch {
                throw EventLogError(path: path, line: line.number, reason: error.description)
            }
        }
        return records
    }

    /// One event from one line of JSON (without its newline); errors say what was wrong in one line.
    public static func record(fromLine line: Data) throws(EventLineError) -> EventRecord {
        do { return try makeDecoder().decode(EventRecord.self, from: line) } catch {
            throw EventLineError(reason: EventLogError.describe(error))
        }
    }

    /// The non-blank lines of a log with their 1-based numbers; `complete` is
    /// false for a last line without its newline (a recording cut short).
    static func lines(of data: Data) -> [(number: Int, bytes: Data, complete: Bool)] {
        var out: [(number: Int, bytes: Data, complete: Bool)] = []
        var number = 0
        var start = data.startIndex
        while start < data.endIndex {
            number += 1
            let newline = data[start...].firstIndex(of: 0x0A)
            let end = newline ?? data.endIndex
            let line = data[start..<end]
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                out.append((number, Data(line), newline != nil))
            }
            start = newline.map { data.index(after: $0) } ?? data.endIndex
        }
        return out
    }
}

/// Why one line of an event log is not an event.
public struct EventLineError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}

public struct EventLogError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int?
    public var reason: String
    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(TerminalText.sanitized(key.stringValue))'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "bad value at '\(TerminalText.sanitized(ctx.codingPath.map(\.stringValue).joined(separator: ".")))'"
        case DecodingError.dataCorrupted(let ctx):
            // Foundation's own message for malformed JSON is long and multi-line.
            return ctx.codingPath.isEmpty ? "not valid JSON" : TerminalText.sanitized(ctx.debugDescription)
        case let e as UntrustedSizeError: return e.description
        default: return TerminalText.sanitized("\(error)")
        }
    }
}
