/// Which glyphs the terminal can show: braille and box drawing need a UTF-8 locale.
public enum Charset: Sendable, Equatable {
    case unicode
    case ascii

    /// Terminals whose fonts have no braille, whatever the locale says: the
    /// Linux virtual console (its font holds at most 512 glyphs) and the DEC and
    /// PC terminals that predate Unicode. btop's tty mode makes the same call.
    static let asciiTerminals: Set<String> = ["linux", "vt52", "vt100", "vt102", "vt220", "vt320", "ansi", "pcansi", "cons25", "sun", "wsvt25"]

    /// The charset when none is asked for: Unicode under a UTF-8 locale unless
    /// `TERM` (or the family before its first '-', as in `linux-16color`) is one of those.
    public static func automatic(localeIsUTF8: Bool, term: String?) -> Charset {
        guard localeIsUTF8 else { return .ascii }
        let family = term.map { String($0.prefix { $0 != "-" }) } ?? ""
        return asciiTerminals.contains(family) ? .ascii : .unicode
    }
}
