import XCTest
@testable import Dashboard

final class ColorConversionTests: XCTestCase {
    func testHexParsing() {
        XCTAssertEqual(RGB(hex: "#1a2B3c"), RGB(0x1A, 0x2B, 0x3C))
        XCTAssertNil(RGB(hex: "1A2B3C"))
        XCTAssertNil(RGB(hex: "#1A2B3"))
        XCTAssertNil(RGB(hex: "#1A2B3G"))
        XCTAssertEqual(RGB(0x1A, 0x2B, 0x3C).description, "#1A2B3C")
    }

    func testXterm256Cube() {
        XCTAssertEqual(ColorConversion.xterm256(RGB(255, 0, 0)), 196)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0, 255, 0)), 46)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0, 0, 255)), 21)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0x5F, 0xAF, 0xFF)), 75)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0, 0, 0)), 16)
        XCTAssertEqual(ColorConversion.xterm256(RGB(255, 255, 255)), 231)
    }

    func testXterm256GreyRamp() {
        XCTAssertEqual(ColorConversion.xterm256(RGB(0x80, 0x80, 0x80)), 244)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0x1C, 0x1C, 0x1C)), 234)
        XCTAssertEqual(ColorConversion.xterm256(RGB(0xEE, 0xEE, 0xEE)), 255)
        // Slightly tinted greys still land on the ramp when it is closer than the cube.
        XCTAssertEqual(ColorConversion.xterm256(RGB(0x30, 0x30, 0x32)), 236)
    }

    func testAnsi16And8() {
        XCTAssertEqual(ColorConversion.ansi(RGB(255, 0, 0), count: 16), 9)
        XCTAssertEqual(ColorConversion.ansi(RGB(255, 0, 0), count: 8), 1)
        XCTAssertEqual(ColorConversion.ansi(RGB(0, 200, 0), count: 8), 2)
        XCTAssertEqual(ColorConversion.ansi(RGB(250, 250, 250), count: 16), 15)
        XCTAssertEqual(ColorConversion.ansi(RGB(250, 250, 250), count: 8), 7)
        XCTAssertEqual(ColorConversion.ansi(RGB(10, 10, 10), count: 8), 0)
    }

    func testTerminalColorPerMode() {
        let c = ColorValue.rgb(RGB(0x12, 0x34, 0x56))
        XCTAssertEqual(ColorConversion.terminalColor(.terminalDefault, mode: .xterm256), -1)
        XCTAssertEqual(ColorConversion.terminalColor(c, mode: .none), -1)
        XCTAssertEqual(ColorConversion.terminalColor(c, mode: .direct), 0x123456)
        XCTAssertEqual(ColorConversion.terminalColor(.rgb(RGB(0, 0, 3)), mode: .direct), 8, "below 8 would be an ANSI colour")
        XCTAssertEqual(ColorConversion.terminalColor(c, mode: .xterm256), ColorConversion.xterm256(RGB(0x12, 0x34, 0x56)))
        XCTAssertLessThan(ColorConversion.terminalColor(c, mode: .ansi8), 8)
    }

    func testColorModeDetection() {
        XCTAssertEqual(ColorMode.detect(environment: ["NO_COLOR": "1"], hasColors: true, colors: 256), ColorMode.none)
        XCTAssertEqual(ColorMode.detect(environment: ["NO_COLOR": ""], hasColors: true, colors: 256), .xterm256, "empty NO_COLOR is ignored")
        XCTAssertEqual(ColorMode.detect(environment: [:], hasColors: false, colors: 0), ColorMode.none)
        XCTAssertEqual(ColorMode.detect(environment: [:], hasColors: true, colors: 8), .ansi8)
        XCTAssertEqual(ColorMode.detect(environment: [:], hasColors: true, colors: 16), .ansi16)
        XCTAssertEqual(ColorMode.detect(environment: [:], hasColors: true, colors: 1 << 24), .direct)
    }

    func testTruecolorTerminalsTryTheirDirectEntry() {
        XCTAssertEqual(ColorMode.directTerminal(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]), "xterm-direct")
        XCTAssertEqual(ColorMode.directTerminal(environment: ["TERM": "tmux-256color", "COLORTERM": "24bit"]), "tmux-direct")
        XCTAssertEqual(ColorMode.directTerminal(environment: ["TERM": "xterm", "COLORTERM": "TrueColor"]), "xterm-direct")
        XCTAssertNil(ColorMode.directTerminal(environment: ["TERM": "xterm-256color"]), "no COLORTERM: keep TERM")
        XCTAssertNil(ColorMode.directTerminal(environment: ["TERM": "xterm-256color", "COLORTERM": "yes"]))
        XCTAssertNil(ColorMode.directTerminal(environment: ["TERM": "xterm-direct", "COLORTERM": "truecolor"]), "already direct")
        XCTAssertNil(ColorMode.directTerminal(environment: ["COLORTERM": "truecolor"]))
    }
}
