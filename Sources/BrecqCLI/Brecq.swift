import ArgumentParser
import Engine
import Foundation
import Tensor

/// The root command; the `brecq` executable's whole `main` is `await Brecq.commandLineMain()`.
public struct Brecq: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "brecq",
        abstract: "BRECQ post-training quantization, watched and steered from the terminal.",
        // One per line, so that a new command is a one-line change.
        subcommands: [
            Tui.self,
            Quantize.self,
            Replay.self,
            Bench.self,
            Eval.self,
            Inspect.self,
            Export.self,
            Search.self,
            Compare.self,
            Analyze.self,
            Attach.self,
            Tour.self,
        ],
        defaultSubcommand: Tui.self
    )

    public init() {}

    /// ArgumentParser's own `main`, except that a Foundation error that reaches
    /// this far is said in one line ("PATH: Permission denied") instead of as
    /// an NSError dump, and that the message is printed with control characters
    /// escaped: errors quote file contents (node names, JSON values, theme lines)
    /// and must not drive the terminal. Not named `main`: a call `Brecq.main()`
    /// from the executable resolved to ArgumentParser's `AsyncParsableCommand.main()`
    /// instead, and none of this ran (raw escape sequences reached the terminal).
    public static func commandLineMain() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let ns = error as NSError
            let isFoundation = ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain
            exitPrintingSanitized(isFoundation ? CommandFailure(ErrorText.oneLine(error)) : error)
        }
    }

    /// `exit(withError:)` with the message passed through `TerminalText`.
    static func exitPrintingSanitized(_ error: Error) -> Never {
        let message = TerminalText.sanitized(fullMessage(for: error), keepNewlines: true)
        let code = exitCode(for: error)
        if !message.isEmpty {
            if code == .success {
                print(message)
            } else {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
        }
        Foundation.exit(code.rawValue)
    }
}
