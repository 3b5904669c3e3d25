/// Text from files (ONNX names, NPY headers, event logs, themes) is shown in the
/// terminal. Control characters in it (ESC starting an OSC title or colour
/// sequence, BEL, CR, C1 controls) would be executed by the terminal, so they are
/// shown escaped instead: `\e`, `\u{9b}`, …; tab and newline become a space
/// unless `keepNewlines`.
public enum TerminalText {
    public static func sanitized(_ text: String, keepNewlines: Bool = false) -> String {
        // Fast path: most text has no control characters.
        if !text.unicodeScalars.contains(where: isControl) { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if !isControl(s) { out.append(s); continue }
            switch s {
            case "\n" where keepNewlines: out.append(s)
            case "\n", "\t": out.append(" ")
            case "\u{1B}": out.append(contentsOf: "\\e".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(s.value, radix: 16))}".unicodeScalars)
            }
        }
        return String(out)
    }

    /// C0 controls, DEL, C1 controls, and the bidirectional overrides that can
    /// make a name read differently from what it is.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
