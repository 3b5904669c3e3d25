import XCTest
@testable import Dashboard

final class ThemeTests: XCTestCase {
    static let themesDirectory = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")

    func testParsesColoursDefaultsAndComments() throws {
        let theme = try Theme.parse("""
            # a comment
              theme[main_fg]="#A0b1C2"   # trailing comment
            theme[main_bg]=""

            theme[error]=#FF0000
            """, name: "t", file: "t.theme")
        XCTAssertEqual(theme[.mainForeground], .rgb(RGB(0xA0, 0xB1, 0xC2)))
        XCTAssertEqual(theme[.mainBackground], .terminalDefault)
        XCTAssertEqual(theme[.error], .rgb(RGB(255, 0, 0)))
        XCTAssertEqual(theme[.ok], .terminalDefault, "unset keys use the terminal's colours")
    }

    func testMalformedLinesReportFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("theme[main_fg]=\"#FFF\"", 1, "not a colour"),
            ("# ok\ntheme[nope]=\"#FFFFFF\"", 2, "unknown key \"nope\""),
            ("\n\nmain_fg=#FFFFFF", 3, "expected theme[key]"),
            ("theme[main_fg]\"#FFFFFF\"", 1, "expected ="),
            ("theme[main_fg]=\"#FFFFFF", 1, "missing closing quote"),
            ("theme[title]=\"#FFFFFF\" junk", 1, "unexpected text"),
            ("theme[title]=\"#GGGGGG\"", 1, "not a colour"),
        ]
        for (text, line, fragment) in cases {
            XCTAssertThrowsError(try Theme.parse(text, name: "bad", file: "themes/bad.theme")) { error in
                let e = error as! ThemeError
                XCTAssertEqual(e.file, "themes/bad.theme")
                XCTAssertEqual(e.line, line, text)
                XCTAssertTrue(e.message.contains(fragment), "\(e.message) should mention \(fragment)")
                XCTAssertTrue(e.description.hasPrefix("themes/bad.theme:\(line): "))
            }
        }
    }

    func testBundledThemesParseAndSetEveryKey() throws {
        let names = Theme.availableThemes(in: Self.themesDirectory)
        XCTAssertEqual(names.first, "default")
        XCTAssertTrue(Set(["default", "light", "mono", "high-contrast"]).isSubset(of: Set(names)))
        for name in names {
            let theme = try Theme.load(nameOrPath: name, themesDirectory: Self.themesDirectory)
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.colors.keys), Set(ThemeKey.allCases), "\(name) sets every key")
        }
        let mono = try Theme.load(nameOrPath: "mono", themesDirectory: Self.themesDirectory)
        XCTAssertTrue(mono.colors.values.allSatisfy { $0 == .terminalDefault })
    }

    func testBuiltinDefaultMatchesTheFile() throws {
        let file = try Theme.load(nameOrPath: "default", themesDirectory: Self.themesDirectory)
        XCTAssertEqual(file.colors, Theme.builtinDefault.colors)
        // Without a directory "default" still loads.
        XCTAssertEqual(try Theme.load(nameOrPath: "default", themesDirectory: nil).colors, file.colors)
    }

    func testLoadByPathAndMissingTheme() throws {
        let path = Self.themesDirectory.appendingPathComponent("light.theme").path
        XCTAssertEqual(try Theme.load(nameOrPath: path, themesDirectory: nil).name, "light")
        XCTAssertThrowsError(try Theme.load(nameOrPath: "neon", themesDirectory: Self.themesDirectory)) { error in
            let e = error as! ThemeError
            XCTAssertNil(e.line)
            XCTAssertTrue(e.message.contains("not found"))
            XCTAssertTrue(e.message.contains("high-contrast"), "lists what is available")
        }
    }

    func testMalformedFileOnDiskNamesItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("broken.theme")
        try "theme[main_fg]=\"#FFFFFF\"\ntheme[main_bg]=\"blue\"\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Theme.load(nameOrPath: "broken", themesDirectory: dir)) { error in
            XCTAssertEqual((error as! ThemeError).description.hasPrefix("\(url.path):2: "), true, "\(error)")
        }
    }

    func testRolePaletteUsesReverseOnlyWithoutColours() throws {
        let mono = try Theme.load(nameOrPath: "mono", themesDirectory: Self.themesDirectory)
        let monoStyles = RolePalette.resolve(mono, mode: .xterm256)
        XCTAssertTrue(monoStyles[.selection]!.reverse)
        XCTAssertTrue(monoStyles[.muted]!.dim)
        XCTAssertEqual(monoStyles[.text]!.foreground, -1)
        let styles = RolePalette.resolve(.builtinDefault, mode: .xterm256)
        XCTAssertFalse(styles[.selection]!.reverse)
        XCTAssertEqual(styles[.text]!.background, -1, "the default theme keeps the terminal's background")
        let noColor = RolePalette.resolve(.builtinDefault, mode: .none)
        XCTAssertTrue(noColor[.selection]!.reverse, "NO_COLOR still shows the selection")
        XCTAssertTrue(noColor.values.allSatisfy { $0.foreground == -1 && $0.background == -1 })
    }

    /// `--theme` naming a FIFO, a device or a directory is one line, not a dashboard that hangs at start.
    func testAThemePathThatIsNotARegularFileIsRefusedAtOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("fifo.theme").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let folder = directory.appendingPathComponent("folder.theme").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for (path, kind) in [(fifo, "is not a regular file"), ("/dev/zero", "is not a regular file"), (folder, "is a directory")] {
            XCTAssertThrowsError(try Theme.load(nameOrPath: path, themesDirectory: nil)) { error in
                XCTAssertEqual("\(error)", "\(path): \(kind); expected a theme file")
            }
        }
    }
}
