/// How many colours the terminal can show, and so how theme colours are converted.
public enum ColorMode: Sendable, Equatable, CaseIterable {
    /// NO_COLOR, or a terminal without colour: attributes only (bold, reverse, dim).
    case none
    case ansi8
    case ansi16
    case xterm256
    /// 24-bit colour numbers (terminfo with RGB, e.g. TERM=xterm-direct).
    case direct

    /// Picks the mode from the environment and what terminfo reports.
    /// `NO_COLOR` (any non-empty value) wins, as https://no-color.org asks.
    public static func detect(environment: [String: String], hasColors: Bool, colors: Int) -> ColorMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        guard hasColors else { return .none }
        if colors >= 1 << 24 { return .direct }
        if colors >= 256 { return .xterm256 }
        if colors >= 16 { return .ansi16 }
        if colors >= 8 { return .ansi8 }
        return .none
    }
}
