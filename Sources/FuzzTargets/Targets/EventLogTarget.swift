import Dashboard
import Engine
import Foundation

/// Event log bytes (JSON Lines) → `EventLog.read`, the replay loader → a
/// replay session played to its end → every record through the dashboard's
/// reducer → frames drawn at 80×24 and 120×40: what `brecq replay` does.
enum EventLogTarget {
    static func run(_ input: Data) throws {
        let path = try FuzzEnvironment.file("events.jsonl", input)
        let records = try EventLog.read(contentsOf: URL(fileURLWithPath: path))
        let replay = ReplaySession(records: records, speed: 1, clock: { 0 })
        var played: [EventRecord] = []
        // Jumping to each next record must end the replay; more jumps than records means it never would.
        for _ in 0...records.count where !replay.isFinished {
            replay.skipToNextRecord()
            played += replay.drainEvents()
        }
        precondition(replay.isFinished, "a replay of \(records.count) records does not finish (times \(records.prefix(4).map(\.time))…)")
        _ = (replay.duration, replay.position)
        DashboardFrames.draw(played)
    }
}

/// Reduces records into dashboard state and renders it, as a replay would.
enum DashboardFrames {
    static func draw(_ records: [EventRecord]) {
        var state = DashboardState(size: .minimum)
        for (k, record) in records.enumerated() {
            (state, _) = DashboardReducer.update(state, .engine(record))
            if k % 64 == 63 { _ = DashboardView.render(state, size: .minimum, charset: .unicode) }
        }
        for (size, charset) in [(TerminalSize.minimum, Charset.unicode), (TerminalSize(width: 120, height: 40), .ascii)] {
            (state, _) = DashboardReducer.update(state, .resize(size))
            _ = DashboardView.render(state, size: size, charset: charset)
        }
    }
}
