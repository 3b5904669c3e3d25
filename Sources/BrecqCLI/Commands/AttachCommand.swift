import ArgumentParser
import Dashboard
import Engine
import Foundation
import Tensor

struct Attach: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a running `brecq tui` or `brecq quantize` from another terminal (read-only unless --control).",
        discussion: """
            A run serves its events on CHECKPOINT/events.sock (owner only; --share-group on the run lets the group in). \
            The dashboard gets the whole run so far, then follows it live, with its own size, theme and charset. \
            Over SSH: `ssh -t host brecq attach DIR`; without a terminal the progress lines are printed instead.
            """)

    @Argument(help: "The run's checkpoint directory, or its socket (default: the only run under ~/.cache/brecq/checkpoints).")
    var target: String?

    @Flag(help: "Steer the run from this dashboard (its owner only; one steering dashboard at a time). q still only detaches.")
    var control = false

    @Flag(help: "Print the progress lines instead of opening the dashboard.")
    var headless = false

    @OptionGroup var dashboard: DashboardFlags

    func run() throws {
        let session: AttachedSession
        do { session = try AttachedSession.connect(to: try resolvedTarget(), control: control) } catch {
            throw CommandFailure("\(error)")
        }
        session.start()
        defer { session.stop() }
        if control {
            // The dashboard opens steering or not at all: a refusal is said here, in one line.
            guard let answer = session.waitForControlReply(timeout: 10) else {
                throw CommandFailure("--control: the run did not answer the request to steer")
            }
            guard answer.granted else {
                throw CommandFailure("--control: \(answer.reason ?? "refused"); attach without --control to watch")
            }
        }
        if headless || isatty(STDOUT_FILENO) == 0 {
            followHeadless(session)
            return
        }
        var options = try dashboard.options()
        options.attach = AttachStatus(control: control)
        let reason = try DashboardFlags.run(session: session, options: options)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }

    /// Without a target: the one served run in the default checkpoint directory.
    private func resolvedTarget() throws -> String {
        if let target { return target }
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let root = "\(home)/brecq/checkpoints"
        let served = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
            .map { EventServer.socketPath(inDirectory: "\(root)/\($0)") }
            .filter { var info = stat(); return lstat($0, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK }
        guard served.count == 1 else {
            throw CommandFailure(served.isEmpty ? "no served run under \(TerminalText.sanitized(root)); name the run's checkpoint directory"
                                                      : "\(served.count) served runs under \(TerminalText.sanitized(root)); name one's checkpoint directory")
        }
        return served[0]
    }

    private func followHeadless(_ session: AttachedSession) {
        let reporter = ProgressReporter()
        while true {
            let connected = session.isConnected
            for record in session.drainEvents() { reporter.report(record) }
            if !connected { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Console.error(session.sawFinished ? "the run finished" : "the run's stream ended")
    }
}
