import Foundation
import Tensor

/// Reading a theme file, which may be anything a user points `--theme` at:
/// a regular file bounded in size (a theme is a few dozen lines; /dev/zero or a
/// FIFO must not hang the dashboard), UTF-8, and quoted safely in errors.
enum ThemeFile {
    /// Far above any real theme (the bundled ones are about 1 KB).
    static let maxBytes = 64 << 10
    /// How much of an offending line or value an error message quotes.
    static let maxQuoted = 60

    static func text(of url: URL) throws(ThemeError) -> String {
        let data: Data
        do { data = try RegularFile.read(url.path, what: "a theme file", limit: maxBytes, symbolicLinks: .followed) } catch {
            throw ThemeError(file: url.path, line: nil, message: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: url.path, line: nil, message: "cannot read the file as UTF-8 text")
        }
        return text
    }

    /// Text from the file as an error message quotes it: control characters escaped, long text cut.
    static func quoted<S: StringProtocol>(_ text: S) -> String {
        let safe = TerminalText.sanitized(String(text))
        return safe.count > maxQuoted ? String(safe.prefix(maxQuoted)) + "…" : safe
    }
}
