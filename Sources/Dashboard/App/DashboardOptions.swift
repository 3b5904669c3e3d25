import Foundation

/// How the dashboard runs; the CLI fills this from its flags.
public struct DashboardOptions: Sendable {
    /// Load with `Theme.load(nameOrPath:themesDirectory:)` before starting so a bad
    /// theme file is reported before the screen is taken over.
    public var theme: Theme
    /// Where `T` finds the themes to cycle through; nil: only the current theme.
    public var themesDirectory: URL?
    /// Frame-rate cap; keys are still handled as they arrive.
    public var framesPerSecond: Int
    /// nil: UTF-8 glyphs when the locale is UTF-8, ASCII otherwise.
    public var charset: Charset?
    /// nil: from NO_COLOR and terminfo.
    public var colorMode: ColorMode?
    /// Images the `v` key asks the engine to evaluate on.
    public var evaluationImages: Int
    /// Playback speed a replay starts at (ignored for live sessions).
    public var replaySpeed: Double
    /// Clicks focus panels, select rows and press hint-bar keys; the wheel scrolls.
    /// On by default; `--no-mouse` turns it off (a terminal reporting the mouse
    /// selects text for copying only with Shift).
    public var mouse = true
    /// `brecq attach`: the session is another process's run (nil: this process's run or a replay).
    public var attach: AttachStatus?
    /// Open the guided tour (`TourStep.steps`) on the first frame (`brecq tour`).
    public var startsTour = false
    /// Where `o` proposes to write exports (an absolute directory); nil: beside the checkpoint.
    public var exportDirectory: String? = DashboardOptions.defaultExportDirectory()

    /// $XDG_DATA_HOME/brecq/exports, or ~/.local/share/brecq/exports; nil when
    /// neither gives an absolute path (so nothing lands in the current directory).
    public static func defaultExportDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/brecq/exports" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/brecq/exports" }
        return nil
    }

    public init(theme: Theme = .builtinDefault, themesDirectory: URL? = Theme.defaultThemesDirectory(),
                framesPerSecond: Int = 10, charset: Charset? = nil, colorMode: ColorMode? = nil,
                evaluationImages: Int = 1000, replaySpeed: Double = 1) {
        self.theme = theme
        self.themesDirectory = themesDirectory
        self.framesPerSecond = framesPerSecond
        self.charset = charset
        self.colorMode = colorMode
        self.evaluationImages = evaluationImages
        self.replaySpeed = replaySpeed
    }
}
