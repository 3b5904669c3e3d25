import Engine
import Synchronization
@testable import Dashboard

/// An in-memory terminal for running `DashboardApp`'s loop in process (as
/// ratatui's TestBackend): tests queue keys and resizes, the loop reads them
/// one by one, and every frame it draws is kept for the test to read.
final class TestTerminal: Terminal {
    private(set) var size: TerminalSize
    let charset: Charset
    /// Every grid presented, oldest first.
    private(set) var frames: [CellGrid] = []
    private(set) var appliedThemes: [String] = []
    private(set) var restoreCount = 0
    /// Set when the queue ran dry and the terminal had to type `q` to end the loop:
    /// the test's script did not make the dashboard quit by itself.
    private(set) var ranOut = false

    private var queue: [TerminalInput]
    /// Reads answered with "no input" after the queue emptied, before giving up.
    private var idleReads = 0
    private let idleLimit: Int

    init(size: TerminalSize = TerminalSize(width: 80, height: 24), charset: Charset = .unicode,
         inputs: [TerminalInput] = [], idleLimit: Int = 50) {
        self.size = size
        self.charset = charset
        self.queue = inputs
        self.idleLimit = idleLimit
    }

    var lastFrame: CellGrid? { frames.last }

    func apply(_ theme: Theme) { appliedThemes.append(theme.name) }

    func present(_ grid: CellGrid) { frames.append(grid) }

    func readInput(timeoutMilliseconds: Int) -> TerminalInput? {
        guard !queue.isEmpty else {
            idleReads += 1
            if idleReads > idleLimit {
                // q, y (confirm), q (leave without waiting): ends the loop in any state.
                ranOut = true
                return .key(.character(idleReads % 2 == 0 ? "y" : "q"))
            }
            return nil
        }
        let input = queue.removeFirst()
        if case .resize(let newSize) = input { size = newSize }
        return input
    }

    func restore() { restoreCount += 1 }
}

/// A session whose events are given up front and whose received commands are recorded.
final class RecordingSession: SessionHandle {
    private let pending: Mutex<[EventRecord]>
    private let received = Mutex<[EngineCommand]>([])

    init(events: [EventRecord]) { pending = Mutex(events) }

    func drainEvents() -> [EventRecord] { pending.withLock { p in defer { p.removeAll() }; return p } }
    func send(_ command: EngineCommand) { received.withLock { $0.append(command) } }
    var commands: [EngineCommand] { received.withLock { $0 } }
}
