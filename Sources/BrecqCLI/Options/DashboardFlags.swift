import ArgumentParser
import Dashboard
import Engine
import Foundation

/// Flags of the dashboard, shared by `brecq tui` and `brecq replay`.
struct DashboardFlags: ParsableArguments {
    @Option(help: "Colour theme: a name from themes/ (default, light, mono, high-contrast) or a .theme file.")
    var theme: String = "default"

    @Option(parsing: .unconditional, help: "Frames per second at most (1–60); fewer frames send fewer bytes over slow links.")
    var fps: Int = 10

    @Flag(help: "Draw with ASCII only (automatic when the locale is not UTF-8, and on the Linux console and vt100-style terminals).")
    var ascii = false

    @Flag(help: "Draw with braille and box drawing even where ASCII would be chosen (e.g. TERM=linux with a braille font).")
    var unicode = false

    @Flag(inversion: .prefixedNo,
          help: "Mouse: clicks focus panels, select units and layers and press hint-bar keys; the wheel scrolls (--no-mouse leaves the mouse to the terminal, e.g. to select text without Shift).")
    var mouse = true

    func validate() throws {
        if ascii && unicode { throw ValidationError("--ascii and --unicode exclude each other") }
        try FlagRange.check(fps, "--fps", 1...60)
    }

    /// Loads the theme first, so a bad theme file is reported before the screen is taken over.
    func options(evaluationImages: Int = 1000, replaySpeed: Double = 1) throws -> DashboardOptions {
        let directory = Theme.defaultThemesDirectory()
        let loaded: Theme
        do { loaded = try Theme.load(nameOrPath: theme, themesDirectory: directory) } catch {
            throw ValidationError("--theme \(theme): \(error)")
        }
        var options = DashboardOptions(theme: loaded, themesDirectory: directory, framesPerSecond: fps,
                                       charset: ascii ? .ascii : unicode ? .unicode : nil, evaluationImages: evaluationImages, replaySpeed: replaySpeed)
        options.mouse = mouse
        return options
    }
}

extension DashboardFlags {
    /// The dashboard on this process's terminal: ncurses is started here and
    /// restored on every return and throw (the loop itself takes any `Terminal`).
    static func run(session: some SessionHandle, options: DashboardOptions,
                    replayControl: (any ReplayControlling)? = nil) throws -> ExitReason {
        let terminal = try NcursesTerminal(charsetOverride: options.charset, colorModeOverride: options.colorMode, mouse: options.mouse)
        defer { terminal.restore() }
        return DashboardApp.run(session: session, options: options, replayControl: replayControl, terminal: terminal)
    }
}
