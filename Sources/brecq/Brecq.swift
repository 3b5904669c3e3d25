import ArgumentParser
import Engine
import Foundation

@main
struct Brecq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brecq",
        abstract: "BRECQ post-training quantization, watched and steered from the terminal.",
        subcommands: [Tui.self, Quantize.self, Replay.self, Bench.self, Eval.self, Inspect.self, Export.self, Search.self],
        defaultSubcommand: Tui.self
    )

    /// ArgumentParser's own `main`, except that a Foundation error that reaches
    /// this far is said in one line ("PATH: Permission denied") instead of as
    /// an NSError dump.
    static func main() async {
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
            exit(withError: isFoundation ? FailureMessage(text: ErrorText.oneLine(error)) : error)
        }
    }
}
