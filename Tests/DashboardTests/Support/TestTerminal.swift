import Engine
import Foundation
import Synchronization
@testable import Dashboard

/// An in-memory terminal for running `DashboardApp`'s loop in process (as
/// ratatui's TestBackend): tests queue keys and resizes, the loop reads them
/// one by one, and every frame it draws is kept for the test to read.
final class TestTerminal: Terminal {
    /// One step of a script: an input, or no input until a frame shows some text
    /// (as a user waits for the screen before typing on).
    enum Step: Equatable {
        case input(TerminalInput)
        case waitForText(String)
    }

    private(set) var size: TerminalSize
    let charset: Charset
    /// Every grid presented, oldest first.
    private(set) var frames: [CellGrid] = []
    private(set) var appliedThemes: [String] = []
    private(set) var restoreCount = 0
    /// Set when the queue ran dry and the terminal had to type `q` to end the loop:
    /// the test's script did not make the dashboard quit by itself.
    private(set) var ranOut = false

    private var queue: [Step]
    /// Reads answered with "no input" after the queue emptied, before giving up.
    private var idleReads = 0
    private let idleLimit: Int
    /// Reads spent in a `waitForText` step; past `waitLimit` the script is abandoned.
    private var waits = 0
    private let waitLimit = 1000
    /// Called with each input as the loop reads it.
    var onRead: ((TerminalInput) -> Void)?

    init(size: TerminalSize = TerminalSize(width: 80, height: 24), charset: Charset = .unicode,
         inputs: [TerminalInput] = [], idleLimit: Int = 50) {
        self.size = size
        self.charset = charset
        self.queue = inputs.map(Step.input)
        self.idleLimit = idleLimit
    }

    convenience init(size: TerminalSize = TerminalSize(width: 80, height: 24), script: [Step]) {
        self.init(size: size)
        queue = script
    }

    var lastFrame: CellGrid? { frames.last }

    func apply(_ theme: Theme) { appliedThemes.append(theme.name) }

    func present(_ grid: CellGrid) { frames.append(grid) }

    func readInput(timeoutMilliseconds: Int) -> TerminalInput? {
        while case .waitForText(let text)? = queue.first {
            if lastFrame?.text.contains(text) == true { queue.removeFirst(); continue }
            waits += 1
            if waits > waitLimit { queue.removeAll(); break }
            // As getch: nothing came before the frame clock's timeout (which paces this wait, nothing else).
            Thread.sleep(forTimeInterval: Double(min(max(timeoutMilliseconds, 1), 20)) / 1000)
            return nil
        }
        guard case .input(let input)? = queue.first else {
            idleReads += 1
            if idleReads > idleLimit {
                // q, y (confirm), q (leave without waiting): ends the loop in any state.
                ranOut = true
                return .key(.character(idleReads % 2 == 0 ? "y" : "q"))
            }
            return nil
        }
        queue.removeFirst()
        if case .resize(let newSize) = input { size = newSize }
        onRead?(input)
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
