/// How a style role looks on a given terminal: colour numbers for ncurses
/// (-1 = terminal default) and attributes.
public struct RoleStyle: Sendable, Equatable {
    public var foreground: Int
    public var background: Int
    public var bold = false
    public var dim = false
    public var reverse = false
}

/// Which theme keys and attributes each role uses.
public enum RolePalette {
    struct Spec {
        var foreground: ThemeKey
        var background: ThemeKey
        var bold = false
        var dim = false
        /// Roles that must stand out from the text around them (selection, header,
        /// active tab) use reverse video when they have no colours of their own.
        var reverseWithoutColor = false
    }

    static func spec(_ role: StyleRole) -> Spec {
        switch role {
        case .text: Spec(foreground: .mainForeground, background: .mainBackground)
        case .muted: Spec(foreground: .inactiveForeground, background: .mainBackground, dim: true)
        case .title: Spec(foreground: .title, background: .mainBackground, bold: true)
        case .border: Spec(foreground: .box, background: .mainBackground)
        case .borderFocused: Spec(foreground: .boxFocused, background: .mainBackground, bold: true)
        case .header: Spec(foreground: .headerForeground, background: .headerBackground, reverseWithoutColor: true)
        case .headerAccent: Spec(foreground: .headerAccent, background: .headerBackground, bold: true, reverseWithoutColor: true)
        case .selection: Spec(foreground: .selectedForeground, background: .selectedBackground, reverseWithoutColor: true)
        case .highlight: Spec(foreground: .highlight, background: .mainBackground, bold: true)
        case .good: Spec(foreground: .ok, background: .mainBackground)
        case .warning: Spec(foreground: .warn, background: .mainBackground, bold: true)
        case .error: Spec(foreground: .error, background: .mainBackground, bold: true)
        case .recSeries: Spec(foreground: .recCurve, background: .mainBackground, bold: true)
        case .regSeries: Spec(foreground: .regCurve, background: .mainBackground)
        case .warmupMarker: Spec(foreground: .warmupMarker, background: .mainBackground, dim: true)
        case .bestSeries: Spec(foreground: .bestCurve, background: .mainBackground, bold: true)
        case .meanSeries: Spec(foreground: .meanCurve, background: .mainBackground)
        case .barLow: Spec(foreground: .lossLow, background: .mainBackground)
        case .barMid: Spec(foreground: .lossMid, background: .mainBackground)
        case .barHigh: Spec(foreground: .lossHigh, background: .mainBackground, bold: true)
        case .hintKey: Spec(foreground: .hintKey, background: .hintBackground, bold: true)
        case .hintText: Spec(foreground: .hintForeground, background: .hintBackground)
        case .tabActive: Spec(foreground: .tabActiveForeground, background: .tabActiveBackground, bold: true, reverseWithoutColor: true)
        case .tabInactive: Spec(foreground: .hintForeground, background: .hintBackground)
        case .overlay: Spec(foreground: .overlayForeground, background: .overlayBackground)
        case .overlayBorder: Spec(foreground: .overlayBorder, background: .overlayBackground, bold: true)
        }
    }

    /// The look of every role under a theme on a terminal with `mode` colours.
    public static func resolve(_ theme: Theme, mode: ColorMode) -> [StyleRole: RoleStyle] {
        var styles: [StyleRole: RoleStyle] = [:]
        for role in StyleRole.allCases {
            let spec = spec(role)
            var fg = ColorConversion.terminalColor(theme[spec.foreground], mode: mode)
            let bg = ColorConversion.terminalColor(theme[spec.background], mode: mode)
            // What the background will look like: nil is the terminal's own, dark or light.
            let shownBackground = Readability.shown(bg, mode: mode)
            var dimForReadability = false
            if mode != .none, case .rgb(let color) = theme[spec.foreground] {
                (fg, dimForReadability) = Readability.foreground(color, background: shownBackground, mode: mode)
            } else if mode != .none, fg == -1, let shownBackground {
                fg = Readability.foregroundForDefault(on: shownBackground, mode: mode)
            }
            // Dim only where colour cannot already say "secondary".
            styles[role] = RoleStyle(foreground: fg, background: bg, bold: spec.bold,
                                     dim: (spec.dim && fg == -1) || dimForReadability,
                                     reverse: spec.reverseWithoutColor && fg == -1 && bg == -1)
        }
        return styles
    }
}
