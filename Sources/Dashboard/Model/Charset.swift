/// Which glyphs the terminal can show: braille and box drawing need a UTF-8 locale.
public enum Charset: Sendable, Equatable {
    case unicode
    case ascii
}
