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

    /// The `-direct` terminfo entry to try when `COLORTERM` announces 24-bit
    /// colour but `TERM` names a 256-colour entry (most truecolor terminals do):
    /// `xterm-256color` → `xterm-direct`. nil when there is nothing to try.
    public static func directTerminal(environment: [String: String]) -> String? {
        guard let colorterm = environment["COLORTERM"]?.lowercased(), ["truecolor", "24bit"].contains(colorterm),
              let term = environment["TERM"], !term.isEmpty, !term.hasSuffix("-direct") else { return nil }
        var base = term
        for suffix in ["-256color", "-88color", "-16color", "-color"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        return base + "-direct"
    }
}
