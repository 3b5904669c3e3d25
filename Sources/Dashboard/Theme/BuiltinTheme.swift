extension Theme {
    /// The same text as themes/default.theme (a test keeps them equal), so the
    /// dashboard has its colours even when the themes directory is not installed.
    static let builtinDefaultSource = """
    # BrecqQuant default: the terminal's own background and text colour, with accents
    # that read on dark and light terminals alike.
    theme[main_bg]=""
    theme[main_fg]=""
    theme[title]=""
    theme[inactive_fg]="#7C8494"
    theme[div_line]="#4A5262"
    theme[hi_fg]="#5FAFFF"
    theme[header_bg]="#1F2A3A"
    theme[header_fg]="#D0D4DC"
    theme[header_accent]="#5FD7FF"
    theme[selected_bg]="#2F4A6A"
    theme[selected_fg]="#FFFFFF"
    theme[highlight]="#FFD75F"
    theme[ok]="#87D787"
    theme[warn]="#FFAF5F"
    theme[error]="#FF5F5F"
    theme[rec_curve]="#5FD7FF"
    theme[reg_curve]="#D787FF"
    theme[warmup_marker]="#8A8A8A"
    theme[best_curve]="#87D787"
    theme[mean_curve]="#FFAF5F"
    theme[loss_start]="#5F87AF"
    theme[loss_mid]="#FFAF5F"
    theme[loss_end]="#FF5F5F"
    theme[hint_bg]="#1C1C1C"
    theme[hint_fg]="#A8A8A8"
    theme[hint_key]="#5FD7FF"
    theme[tab_active_bg]="#5FAFFF"
    theme[tab_active_fg]="#101820"
    theme[overlay_bg]="#262E3A"
    theme[overlay_fg]="#E8EAF0"
    theme[overlay_border]="#5FAFFF"

    """

    public static let builtinDefault: Theme = {
        do { return try parse(builtinDefaultSource, name: "default", file: "built-in default theme") }
        catch { preconditionFailure("the built-in theme must parse: \(error)") }
    }()
}
