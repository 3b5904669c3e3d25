import Foundation

/// A colour scheme: theme keys to colours, read from a btop-style file:
///
///     # comment
///     theme[main_fg]="#D8DEE9"
///     theme[main_bg]=""            empty: the terminal's own colour
///
/// Keys not set use the terminal's default colours.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var colors: [ThemeKey: ColorValue]

    public init(name: String, colors: [ThemeKey: ColorValue]) {
        self.name = name; self.colors = colors
    }

    public subscript(key: ThemeKey) -> ColorValue { colors[key] ?? .terminalDefault }

    /// Parses theme text; `file` names the source in errors.
    public static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        var colors: [ThemeKey: ColorValue] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: lineNumber, message: message) }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                throw fail("expected theme[key]=\"#RRGGBB\", got \(ThemeFile.quoted(line))")
            }
            let keyText = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
            guard let key = ThemeKey(rawValue: keyText) else {
                throw fail("unknown key \"\(ThemeFile.quoted(keyText))\" (known: \(ThemeKey.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard rest.hasPrefix("=") else { throw fail("expected = after theme[\(ThemeFile.quoted(keyText))]") }
            rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces)
            let value: String
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { throw fail("missing closing quote") }
                value = String(body[..<end])
                let trailing = body[body.index(after: end)...].trimmingCharacters(in: .whitespaces)
                guard trailing.isEmpty || trailing.hasPrefix("#") else { throw fail("unexpected text after the value: \(ThemeFile.quoted(trailing))") }
            } else {
                value = rest.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            }
            if value.isEmpty {
                colors[key] = .terminalDefault
            } else if let rgb = RGB(hex: value) {
                colors[key] = .rgb(rgb)
            } else {
                throw fail("\"\(ThemeFile.quoted(value))\" is not a colour: use #RRGGBB or \"\" for the terminal default")
            }
        }
        return Theme(name: name, colors: colors)
    }

    /// Loads a theme by name from `themesDirectory` (NAME.theme) or from a file path.
    /// "default" falls back to the built-in copy when no directory holds it, so the
    /// dashboard always starts.
    public static func load(nameOrPath: String, themesDirectory: URL?) throws(ThemeError) -> Theme {
        let fm = FileManager.default
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        var candidates: [URL] = []
        if looksLikePath { candidates.append(URL(fileURLWithPath: nameOrPath)) }
        if let themesDirectory { candidates.append(themesDirectory.appendingPathComponent(nameOrPath + ".theme")) }
        for url in candidates where fm.fileExists(atPath: url.path) {
            let text = try ThemeFile.text(of: url)
            return try parse(text, name: url.deletingPathExtension().lastPathComponent, file: url.path)
        }
        if nameOrPath == "default" { return builtinDefault }
        let available = themesDirectory.map { availableThemes(in: $0) } ?? []
        let hint = available.isEmpty ? "" : " (available: \(available.joined(separator: ", ")))"
        throw ThemeError(file: looksLikePath ? nameOrPath : "\(nameOrPath).theme", line: nil, message: "theme not found\(hint)")
    }

    /// Theme names (file names without .theme) in a directory, sorted with "default" first.
    public static func availableThemes(in directory: URL) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".theme") }
            .map { String($0.dropLast(".theme".count)) }
            .sorted()
        return names.filter { $0 == "default" } + names.filter { $0 != "default" }
    }

    /// Where the bundled themes are: $BRECQ_THEMES_DIR, next to the executable, the
    /// share directory of an install, or the source tree around a `swift build` product.
    public static func defaultThemesDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        var candidates: [URL] = []
        if let dir = environment["BRECQ_THEMES_DIR"], !dir.isEmpty { candidates.append(URL(fileURLWithPath: dir)) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates += [
            executable.appendingPathComponent("themes"),
            executable.appendingPathComponent("../share/brecq/themes"),
            executable.appendingPathComponent("../../../themes"),  // .build/<triple>/<config>/brecq
            executable.appendingPathComponent("../../themes"),     // .build/<config>/brecq
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"),
        ]
        var isDirectory: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0.standardized.path, isDirectory: &isDirectory) && isDirectory.boolValue }?
            .standardized
    }
}
