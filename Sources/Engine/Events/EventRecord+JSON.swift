import Foundation
import Quantization

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
        case .unitFinished: "unit_finished"
        case .bitsChanged: "bits_changed"
        case .iterationsChanged: "iterations_changed"
        case .hyperparametersChanged: "hyperparameters_changed"
        case .searchSensitivity: "search_sensitivity"
        case .searchStarted: "search_started"
        case .searchGeneration: "search_generation"
        case .evaluation: "evaluation"
        case .checkpointWritten: "checkpoint_written"
        case .message: "message"
        case .finished: "finished"
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
        case .unitFinished(let p): try p.encode(to: encoder)
        case .bitsChanged(let p): try p.encode(to: encoder)
        case .iterationsChanged(let p): try p.encode(to: encoder)
        case .hyperparametersChanged(let p): try p.encode(to: encoder)
        case .searchSensitivity(let p): try p.encode(to: encoder)
        case .searchStarted(let p): try p.encode(to: encoder)
        case .searchGeneration(let p): try p.encode(to: encoder)
        case .evaluation(let p): try p.encode(to: encoder)
        case .checkpointWritten(let p): try p.encode(to: encoder)
        case .message(let p): try p.encode(to: encoder)
        case .finished(let p): try p.encode(to: encoder)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let time = try c.decode(Double.self, forKey: .t)
        let type = try c.decode(String.self, forKey: .type)
        let event: EngineEvent
        switch type {
        case "session_started": event = .sessionStarted(try SessionInfo(from: decoder))
        case "state_changed": event = .stateChanged(try c.decode(RunState.self, forKey: .state))
        case "unit_started": event = .unitStarted(try UnitStarted(from: decoder))
        case "iteration": event = .iteration(try IterationStats(from: decoder))
        case "unit_finished": event = .unitFinished(try UnitFinished(from: decoder))
        case "bits_changed": event = .bitsChanged(try BitsChange(from: decoder))
        case "iterations_changed": event = .iterationsChanged(try IterationsChange(from: decoder))
        case "hyperparameters_changed": event = .hyperparametersChanged(try Hyperparameters(from: decoder))
        case "search_sensitivity": event = .searchSensitivity(try SensitivityProgress(from: decoder))
        case "search_started": event = .searchStarted(try SearchStarted(from: decoder))
        case "search_generation": event = .searchGeneration(try GenerationStats(from: decoder))
        case "evaluation": event = .evaluation(try EvaluationResult(from: decoder))
        case "checkpoint_written": event = .checkpointWritten(try CheckpointWritten(from: decoder))
        case "message": event = .message(try Message(from: decoder))
        case "finished": event = .finished(try RunSummary(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type '\(type)'")
        }
        self.init(time: time, event: event)
    }
}

/// Reads and writes event logs as JSON Lines.
public enum EventLog {
    static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static func makeDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// One line of JSON, without the newline.
    public static func line(for record: EventRecord) throws -> String {
        String(decoding: try makeEncoder().encode(record), as: UTF8.self)
    }

    /// Parses a whole log; errors name the file and the line.
    public static func read(contentsOf url: URL) throws -> [EventRecord] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw EventLogError(path: url.path, line: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        let decoder = makeDecoder()
        var records: [EventRecord] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                records.append(try decoder.decode(EventRecord.self, from: Data(trimmed.utf8)))
            } catch {
                throw EventLogError(path: url.path, line: index + 1, reason: EventLogError.describe(error))
            }
        }
        return records
    }
}

public struct EventLogError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String
    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "bad value at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let ctx): return ctx.debugDescription
        default: return "\(error)"
        }
    }
}
