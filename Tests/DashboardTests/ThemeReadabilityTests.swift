import Foundation
import XCTest
@testable import Dashboard

/// Issue #15 item 8: every bundled theme is readable in 8, 16, 256 colours and
/// truecolor, on a dark and on a light terminal background.
final class ThemeReadabilityTests: XCTestCase {
    static var themesDirectory: URL {
        URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes")
    }

    func themes() throws -> [Theme] {
        let names = Theme.availableThemes(in: Self.themesDirectory)
        XCTAssertGreaterThanOrEqual(names.count, 4)
        return try names.map { try Theme.load(nameOrPath: $0, themesDirectory: Self.themesDirectory) } + [.builtinDefault]
    }

    static let colourModes: [ColorMode] = [.ansi8, .ansi16, .xterm256, .direct]
    /// What "the terminal's own background" may be.
    static let terminalBackgrounds = [("dark", RGB(0, 0, 0)), ("light", RGB(255, 255, 255))]

    func testEveryRoleIsVisibleOnDarkAndLightTerminals() throws {
        for theme in try themes() {
            for mode in Self.colourModes {
                let styles = RolePalette.resolve(theme, mode: mode)
                for role in StyleRole.allCases {
                    let style = styles[role]!
                    let where_ = "\(theme.name) \(mode) \(role)"
                    let fg = Readability.shown(style.foreground, mode: mode)
                    let bg = Readability.shown(style.background, mode: mode)
                    switch (fg, bg) {
                    case (nil, nil):
                        break // the terminal's own pair: readable by definition
                    case (let fg?, nil):
                        for (name, terminal) in Self.terminalBackgrounds {
                            XCTAssertGreaterThanOrEqual(Readability.contrast(fg, terminal), Readability.minimumContrast,
                                                        "\(where_): \(fg) on a \(name) terminal background")
                        }
                    case (nil, let bg?):
                        // The terminal's own text colour may be dark or light.
                        for (name, terminal) in Self.terminalBackgrounds {
                            XCTAssertGreaterThanOrEqual(Readability.contrast(terminal, bg), Readability.minimumContrast,
                                                        "\(where_): \(name) terminal text on \(bg)")
                        }
                    case (let fg?, let bg?):
                        XCTAssertGreaterThanOrEqual(Readability.contrast(fg, bg), Readability.minimumContrast, "\(where_): \(fg) on \(bg)")
                    }
                }
            }
        }
    }

    func testBordersIn8ColoursAreNotBlackOnTheTerminalBackground() {
        let styles = RolePalette.resolve(.builtinDefault, mode: .ansi8)
        let border = styles[.border]!
        XCTAssertNotEqual(border.foreground, 0, "SGR 30 vanishes on a dark terminal")
        XCTAssertEqual(border.foreground, -1, "the terminal's own text colour, dimmed")
        XCTAssertTrue(border.dim)
    }

    func testReadableColoursAreLeftAlone() {
        // The light theme's blue accents on its white background need no change in truecolor.
        let light = RolePalette.resolve(try! Theme.load(nameOrPath: "light", themesDirectory: Self.themesDirectory), mode: .direct)
        XCTAssertEqual(light[.borderFocused]!.foreground, 0x005FD7)
    }
}
