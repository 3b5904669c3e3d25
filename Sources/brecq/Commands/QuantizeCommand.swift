import ArgumentParser
import Dispatch
import Engine
import Foundation

struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a model headless: progress on stderr, events as JSON Lines, a summary as JSON.")

    @OptionGroup var options: RunOptions

    @Option(help: "Write every event as JSON Lines (a recording `brecq replay` plays back).")
    var events: String?

    @Option(help: "Write fp_top1, quant_top1, per-unit losses, bits per layer and wall time as JSON.")
    var summary: String?

    @Option(help: "Checkpoint directory, written after every unit (default: under ~/.cache/brecq/checkpoints).")
    var checkpoint: String?

    @Option(help: "Continue the run checkpointed in this directory (same flags as the original run).")
    var resume: String?

    func validate() throws {
        _ = try options.configuration()
        for (flag, path) in [("--events", events), ("--summary", summary)] {
            guard let path else { continue }
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: dir) else { throw ValidationError("\(flag) \(path): directory \(dir) is not writable") }
        }
        if let resume, !FileManager.default.fileExists(atPath: resume + "/checkpoint.json") {
            throw ValidationError("--resume \(resume): no checkpoint.json there")
        }
    }

    func run() throws {
        let configuration = try options.configuration()
        let directory = resume ?? checkpoint ?? CheckpointLocation.default(for: configuration)
        let runner = SessionRunner(configuration: configuration, options: .init(
            checkpointDirectory: directory, resume: resume != nil, eventLogPath: events))
        let interrupts = InterruptHandler { runner.send(.stop) }
        runner.start()
        let reporter = ProgressReporter()
        while runner.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            for record in runner.drainEvents() { reporter.report(record) }
        }
        let outcome = runner.wait()
        for record in runner.drainEvents() { reporter.report(record) }
        interrupts.cancel()
        switch outcome {
        case .finished(let result):
            if let summary { try result.write(to: summary) }
        case .stopped(let dir):
            let resumeHint = dir.map { "; continue with: brecq quantize \(CommandLine.arguments.dropFirst(2).joined(separator: " ")) --resume \($0)" } ?? ""
            FileHandle.standardError.write(Data("stopped\(resumeHint)\n".utf8))
            throw ExitCode(130)
        case .failed(let message):
            throw FailureMessage(text: message)
        }
    }
}

/// A failure printed as one line, with exit status 1.
struct FailureMessage: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

enum CheckpointLocation {
    static func `default`(for c: RunConfiguration) -> String {
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let model = URL(fileURLWithPath: c.modelPath).deletingLastPathComponent().lastPathComponent
        return "\(home)/brecq/checkpoints/\(model)-\(c.method.rawValue)-W\(c.wbits)A\(c.abits)-\(c.granularity.rawValue)-seed\(c.seed)"
    }
}
