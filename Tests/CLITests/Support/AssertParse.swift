import ArgumentParser
import XCTest
@testable import BrecqCLI

/// Parses `arguments` in process exactly as the `brecq` executable does (through
/// the root command, so the default subcommand and every `validate()` apply) and
/// hands the parsed command to `check`; fails when the arguments are refused.
/// The shape of swift-argument-parser's own `AssertParse`.
func AssertParse<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type,
                                           file: StaticString = #filePath, line: UInt = #line,
                                           _ check: (Command) throws -> Void = { _ in }) {
    let parsed: any ParsableCommand
    do { parsed = try Brecq.parseAsRoot(arguments) } catch {
        return XCTFail("\(arguments) was refused: \(Brecq.message(for: error))", file: file, line: line)
    }
    guard let command = parsed as? Command else {
        return XCTFail("\(arguments) parsed as \(Swift.type(of: parsed)), not \(Command.self)", file: file, line: line)
    }
    do { try check(command) } catch {
        XCTFail("checking \(arguments): \(error)", file: file, line: line)
    }
}

/// Parses `arguments` as the executable does and requires the refusal to be
/// exactly `message`: the line the user reads after "Error: ".
func AssertParseError(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    do {
        let parsed = try Brecq.parseAsRoot(arguments)
        XCTFail("\(arguments) parsed as \(Swift.type(of: parsed)); expected the error: \(message)", file: file, line: line)
    } catch {
        XCTAssertEqual(Brecq.message(for: error), message, "arguments \(arguments)", file: file, line: line)
        XCTAssertNotEqual(Brecq.exitCode(for: error), .success, "a refusal exits non-zero", file: file, line: line)
    }
}

/// The message of an error thrown after parsing (by `options()`, `configuration()`,
/// `settings()`), as `brecq` prints it.
func AssertThrowsMessage<T>(_ expression: @autoclosure () throws -> T, _ message: String,
                            file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        XCTAssertEqual(Brecq.message(for: error), message, file: file, line: line)
    }
}

/// An integer flag's range as `FlagRange` enforces it: both ends are taken (the
/// parsed command handed to `check` with the value), one step outside each is
/// refused in FlagRange's words. `atLowest`/`atHighest`: flags the end needs too
/// (a batch as large as the calibration set).
func AssertRange<Command: ParsableCommand>(_ base: [String], _ flag: String, _ range: ClosedRange<Int>, as type: Command.Type,
                                           atLowest: [String] = [], atHighest: [String] = [],
                                           file: StaticString = #filePath, line: UInt = #line,
                                           _ check: (Command, Int) throws -> Void = { _, _ in }) {
    AssertParse(base + atLowest + [flag, "\(range.lowerBound)"], as: type, file: file, line: line) { try check($0, range.lowerBound) }
    AssertParse(base + atHighest + [flag, "\(range.upperBound)"], as: type, file: file, line: line) { try check($0, range.upperBound) }
    AssertParseError(base + [flag, "\(range.lowerBound - 1)"], "\(flag) must be at least \(range.lowerBound), got \(range.lowerBound - 1)",
                     file: file, line: line)
    AssertParseError(base + [flag, "\(range.upperBound + 1)"], "\(flag) must be at most \(range.upperBound), got \(range.upperBound + 1)",
                     file: file, line: line)
}
