/// What reading the terminal can yield.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    /// The terminal changed size; the new size.
    case resize(TerminalSize)
    case mouse(MouseInput)
}

/// A click or a wheel turn at a cell (column `x`, row `y`, from the top left).
public struct MouseInput: Sendable, Equatable {
    public enum Action: Sendable, Equatable { case click, wheelUp, wheelDown }
    public var action: Action
    public var x: Int
    public var y: Int
    public init(_ action: Action, x: Int, y: Int) { self.action = action; self.x = x; self.y = y }
}

/// Everything the dashboard's loop needs from a terminal. `NcursesTerminal`
/// is the real one; `TestTerminal` (in the tests) is an in-memory one fed
/// keys and sizes whose drawn grids the tests read, as ratatui's TestBackend.
/// A terminal is used on one thread (the loop's), so the protocol does not ask for Sendable.
public protocol Terminal: AnyObject {
    var size: TerminalSize { get }
    var charset: Charset { get }
    /// Sets up the theme's colours; the next frame redraws every cell.
    func apply(_ theme: Theme)
    /// Draws a frame, sending only the cells that differ from the previous one.
    func present(_ grid: CellGrid)
    /// Waits up to `timeoutMilliseconds` for a key, mouse event or resize; nil when none came (the frame clock).
    func readInput(timeoutMilliseconds: Int) -> TerminalInput?
    /// Gives the terminal back to the shell; safe to call more than once.
    func restore()
}
