import ArgumentParser
import Dashboard
import Engine
import Foundation
import Tensor

/// `brecq compare a.jsonl b.jsonl`: two recordings of one model side by side.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show two recorded runs of the same model side by side: per-unit final loss, loss curves, top-1.",
        discussion: """
            Units are aligned by the layers they hold, so a layer-wise run (adaround) can stand next to a \
            block-wise one (brecq): its several units in a block's row show their curves, not a loss of their own. \
            Recordings of different models are refused. Without a terminal on stdout, or with --print, a table is printed.
            """)

    @Argument(help: "The first recording (A), a JSON Lines event log from --events.")
    var a: String

    @Argument(help: "The second recording (B).")
    var b: String

    @Flag(help: "Print the comparison as a table instead of opening the screen.")
    var print = false

    @OptionGroup var dashboard: DashboardFlags

    func run() throws {
        let comparison: RunComparison
        do {
            let first = try Recording.load(path: a), second = try Recording.load(path: b)
            comparison = try RunComparison(a: (a, first.records), b: (b, second.records))
        } catch let error as RecordingError {
            throw CommandFailure(error.description)
        } catch let error as ComparisonError {
            throw CommandFailure(error.description)
        }
        if print || isatty(STDOUT_FILENO) == 0 {
            Swift.print(comparison.table())
            return
        }
        try CompareApp.run(comparison, options: dashboard.options())
    }
}
