import CNcurses
import Foundation

public enum DashboardError: Error, CustomStringConvertible {
    case terminalUnavailable(String)

    public var description: String {
        switch self {
        case .terminalUnavailable(let why): "cannot open the terminal for the dashboard: \(why)"
        }
    }
}

/// The only code that calls ncurses. It is created, used and restored on one
/// thread (the caller of `DashboardApp.run`), which is why it is not Sendable.
/// The front end creates it and hands it to `DashboardApp.run`, so the loop
/// itself runs as well on the in-memory terminal of the tests.
public final class NcursesTerminal: Terminal {
    public let charset: Charset
    public let colorMode: ColorMode
    private var previous: CellGrid?
    private var attributes: [StyleRole: (attrs: attr_t, pair: Int32)] = [:]
    private var restored = false

    private let mouse: Bool

    /// With `mouse` the terminal reports clicks and the wheel (which takes over
    /// the terminal's own selection, so copy-and-paste needs Shift).
    public init(charsetOverride: Charset?, colorModeOverride: ColorMode?, mouse: Bool = false) throws {
        self.mouse = mouse
        setlocale(LC_ALL, "")
        let environment = ProcessInfo.processInfo.environment
        charset = charsetOverride ?? .automatic(localeIsUTF8: brecq_locale_is_utf8() != 0, term: environment["TERM"])
        // newterm, unlike initscr, returns nil instead of exiting when TERM is unusable.
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            throw DashboardError.terminalUnavailable("standard input and output must be a terminal")
        }
        // A truecolor terminal under a 256-colour TERM gets its `-direct` entry (from ncurses-term) when one exists.
        let direct = colorModeOverride == nil ? ColorMode.directTerminal(environment: environment) : nil
        guard direct.map({ newterm($0, brecq_stdout(), brecq_stdin()) != nil }) ?? false
                || newterm(nil, brecq_stdout(), brecq_stdin()) != nil else {
            throw DashboardError.terminalUnavailable("TERM=\(environment["TERM"] ?? "") is not usable")
        }
        guard brecq_can_address_cursor() != 0 else {
            endwin()
            throw DashboardError.terminalUnavailable("TERM=\(environment["TERM"] ?? "") cannot move the cursor; "
                + "use a terminal that can (e.g. TERM=xterm-256color), or run headless with `brecq quantize`")
        }
        // Last resort for exit paths that skip `restore` (a crash in a caller after a fatal error).
        atexit { if !isendwin() { endwin() } }
        cbreak()
        noecho()
        nonl()
        keypad(brecq_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { brecq_enable_mouse() }
        // COLORS is only known after start_color; NO_COLOR keeps the terminal's colours untouched.
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if has_colors(), colorModeOverride.map({ $0 != .none }) ?? !noColor {
            start_color()
            // -1 then means the terminal's own colours (empty theme values).
            use_default_colors()
        }
        colorMode = colorModeOverride ?? ColorMode.detect(
            environment: environment, hasColors: has_colors(), colors: Int(brecq_colors()))
        // After ncurses has set its own handlers: a signal now reaches the frame loop (SignalWatch.pending).
        SignalWatch.install()
    }

    public var size: TerminalSize { TerminalSize(width: Int(brecq_cols()), height: Int(brecq_lines())) }

    /// Sets up one colour pair per style role; the next frame redraws every cell.
    public func apply(_ theme: Theme) {
        let styles = RolePalette.resolve(theme, mode: colorMode)
        attributes = [:]
        for role in StyleRole.allCases {
            let style = styles[role]!
            var attrs = brecq_a_normal()
            if style.bold { attrs |= brecq_a_bold() }
            if style.dim { attrs |= brecq_a_dim() }
            if style.reverse { attrs |= brecq_a_reverse() }
            var pair: Int32 = 0
            if colorMode != .none, Int(brecq_color_pairs()) > role.rawValue + 1 {
                pair = Int32(role.rawValue + 1)
                init_extended_pair(pair, Int32(style.foreground), Int32(style.background))
            }
            attributes[role] = (attrs, pair)
        }
        if colorMode != .none {
            // Erased cells take the main background rather than the terminal's.
            wbkgdset(brecq_stdscr(), chtype(brecq_color_pair(Int32(StyleRole.text.rawValue + 1))) | chtype(UInt8(ascii: " ")))
        }
        previous = nil
    }

    /// Writes the cells that changed since the last frame and flushes once
    /// (wnoutrefresh + doupdate), so a steady screen sends almost nothing.
    public func present(_ grid: CellGrid) {
        let window = brecq_stdscr()
        let full = previous == nil || previous!.width != grid.width || previous!.height != grid.height
        if full { werase(window) }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, previous![x, y] == cell { continue }
                let style = attributes[cell.role] ?? (brecq_a_normal(), 0)
                brecq_put_cell(window, Int32(y), Int32(x), wchar_t(cell.scalar.value), style.attrs, style.pair)
            }
        }
        previous = grid
        wnoutrefresh(window)
        doupdate()
    }

    /// Waits up to `milliseconds` for a key (the frame clock); nil when none came.
    public func readInput(timeoutMilliseconds milliseconds: Int) -> TerminalInput? {
        // Continued after a stop: repaint every cell from what ncurses holds (cheap, and only then).
        if SignalWatch.takeContinued() {
            clearok(brecq_stdscr(), true)
            wrefresh(brecq_stdscr())
        }
        wtimeout(brecq_stdscr(), Int32(max(0, milliseconds)))
        var value: wint_t = 0
        let result = wget_wch(brecq_stdscr(), &value)
        if result == ERR {
            // A terminal that hung up without a SIGHUP reaching us (a background job
            // whose pane closed) makes every read fail at once: leave as on a hangup
            // instead of spinning.
            var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            if poll(&input, 1, 0) > 0, input.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { SignalWatch.hangUp() }
            return nil
        }
        if result == brecq_key_code_yes() {
            let code = Int32(value)
            if code == brecq_key_resize() {
                previous = nil
                return .resize(size)
            }
            if code == brecq_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                switch brecq_read_mouse(&x, &y) {
                case 1: return .mouse(MouseInput(.click, x: Int(x), y: Int(y)))
                case 2: return .mouse(MouseInput(.wheelUp, x: Int(x), y: Int(y)))
                case 3: return .mouse(MouseInput(.wheelDown, x: Int(x), y: Int(y)))
                default: return nil
                }
            }
            return Self.decodeKeyCode(code).map(TerminalInput.key)
        }
        return Self.decodeCharacter(UInt32(value)).map(TerminalInput.key)
    }

    static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_BTAB: .backTab
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        default:
            (1...12).first { brecq_key_f(Int32($0)) == code }.map { Key.function($0) }
        }
    }

    static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard value >= 32, let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Gives the terminal back; safe to call more than once.
    public func restore() {
        guard !restored else { return }
        restored = true
        if mouse { brecq_disable_mouse() }
        if !isendwin() { endwin() }
        SignalWatch.uninstall()
    }

    deinit { restore() }
}
