import Engine
import Foundation

/// The command printed after a stop, to continue the run. It works when run
/// exactly as printed, from any directory: a resumed run takes its settings from
/// the checkpoint, so it needs only the paths — the model and data the run read,
/// the checkpoint, and the outputs the user asked for — made absolute and quoted.
enum ResumeHint {
    /// What to print after "stopped": the command, or — stopped before the first
    /// unit finished — that there is nothing to continue from.
    static func advice(_ subcommand: String, configuration: RunConfiguration, checkpoint: String,
                       outputs: [(flag: String, path: String?)] = []) -> String {
        guard FileManager.default.fileExists(atPath: checkpoint + "/checkpoint.json") else {
            return "no unit finished, so there is no checkpoint to continue from; run the same command again"
        }
        return "continue with: " + command(subcommand, configuration: configuration, checkpoint: checkpoint, outputs: outputs)
    }

    static func command(_ subcommand: String, configuration: RunConfiguration, checkpoint: String,
                        outputs: [(flag: String, path: String?)] = []) -> String {
        var words = [executable, subcommand, "--model", "\(ShellQuoted.absolutePath(configuration.modelPath))"]
        // `fashion-mnist` names the installed data set, not a path.
        if configuration.data != RunOptions.defaultData {
            words += ["--data", "\(ShellQuoted.absolutePath(configuration.data))"]
        }
        for (flag, path) in outputs {
            if let path { words += [flag, "\(ShellQuoted.absolutePath(path))"] }
        }
        words += ["--resume", "\(ShellQuoted.absolutePath(checkpoint))"]
        return words.joined(separator: " ")
    }

    /// `brecq` when it was found on PATH, else the path it was started by, made absolute.
    static var executable: String {
        let invoked = CommandLine.arguments.first ?? "brecq"
        return invoked.contains("/") ? "\(ShellQuoted.absolutePath(invoked))" : "\(ShellQuoted(invoked))"
    }
}
