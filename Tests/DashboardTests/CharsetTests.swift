import XCTest
@testable import Dashboard

final class CharsetTests: XCTestCase {
    func testUnicodeUnderAUTF8LocaleOnEmulators() {
        for term in ["xterm-256color", "tmux-256color", "screen", "rxvt-unicode", "xterm-direct", "alacritty", nil] {
            XCTAssertEqual(Charset.automatic(localeIsUTF8: true, term: term), .unicode, term ?? "no TERM")
        }
    }

    func testASCIIOnTheLinuxConsoleAndDECTerminalsEvenUnderUTF8() {
        for term in ["linux", "linux-16color", "vt100", "vt220", "ansi", "cons25"] {
            XCTAssertEqual(Charset.automatic(localeIsUTF8: true, term: term), .ascii, term)
        }
    }

    func testASCIIWithoutAUTF8Locale() {
        XCTAssertEqual(Charset.automatic(localeIsUTF8: false, term: "xterm-256color"), .ascii)
    }
}
