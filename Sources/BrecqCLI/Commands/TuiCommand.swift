import ArgumentParser
import Dashboard
import Engine
import Foundation

struct Tui: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the dashboard and quantize with the engine on a background thread (the default command).")

    @OptionGroup var options: RunOptions
    @OptionGroup var dashboard: DashboardFlags

    @OptionGroup var session: SessionFlags

    @OptionGroup(title: "Watching from other terminals (brecq attach)") var serve: ServeFlags

    @OptionGroup(title: "Mixed-precision search (key m; default budget avgbits=3)") var search: SearchOptions

    func validate() throws {
        if !search.lock.isEmpty { throw ValidationError("--lock: in the dashboard, lock a layer with the l key") }
        _ = try search.settings(defaultBudget: Self.defaultBudget)
        try session.checkDefaultCheckpoint(for: try options.configuration(resuming: session.savedSettings()))
    }

    static let defaultBudget = "avgbits=3"

    func run() throws {
        var configuration = try options.configuration(resuming: session.savedSettings())
        configuration.search = try search.settings(defaultBudget: Self.defaultBudget)
        let dashboardOptions = try dashboard.options(evaluationImages: min(1000, configuration.evaluationImages))
        let (runner, server) = session.makeRunner(configuration, serving: serve)
        defer { server?.close() }
        runner.start()
        let reason = try DashboardFlags.run(session: runner, options: dashboardOptions)
        // The dashboard asked the engine to stop when it was still working; wait for its checkpoint (and any export).
        if runner.isRunning {
            runner.send(.stop)
            FileHandle.standardError.write(Data("waiting for the engine to stop…\n".utf8))
        }
        let outcome = runner.wait()
        switch outcome {
        case .finished: break
        case .stopped(let dir):
            if let dir {
                let advice = ResumeHint.advice("tui", configuration: configuration, checkpoint: dir, outputs: [("--events", session.events)])
                Console.error("stopped; \(advice)")
            }
        case .failed(let message):
            throw CommandFailure(message)
        }
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }
}
