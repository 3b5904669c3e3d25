/// The keys a theme file may set. Names follow btop where a btop key means the same.
public enum ThemeKey: String, CaseIterable, Sendable {
    case mainBackground = "main_bg"
    case mainForeground = "main_fg"
    case title
    case inactiveForeground = "inactive_fg"
    case box = "div_line"
    case boxFocused = "hi_fg"
    case headerBackground = "header_bg"
    case headerForeground = "header_fg"
    case headerAccent = "header_accent"
    case selectedBackground = "selected_bg"
    case selectedForeground = "selected_fg"
    case highlight
    case ok
    case warn
    case error
    case recCurve = "rec_curve"
    case regCurve = "reg_curve"
    case warmupMarker = "warmup_marker"
    case bestCurve = "best_curve"
    case meanCurve = "mean_curve"
    case lossLow = "loss_start"
    case lossMid = "loss_mid"
    case lossHigh = "loss_end"
    case hintBackground = "hint_bg"
    case hintForeground = "hint_fg"
    case hintKey = "hint_key"
    case tabActiveBackground = "tab_active_bg"
    case tabActiveForeground = "tab_active_fg"
    case overlayBackground = "overlay_bg"
    case overlayForeground = "overlay_fg"
    case overlayBorder = "overlay_border"
}
