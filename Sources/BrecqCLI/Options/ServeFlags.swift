import ArgumentParser
import Engine
import Foundation

/// Serving a run to `brecq attach` viewers; shared by `tui` and `quantize`.
struct ServeFlags: ParsableArguments {
    @Flag(help: "Let the user's group attach too (socket 0660, checkpoint directory g+x); by default only you can (0600).")
    var shareGroup = false

    @Flag(help: "Do not serve the run on DIR/events.sock for `brecq attach`.")
    var noServe = false

    /// The server on the checkpoint directory, and what to say about it at the
    /// start of the run. A run that cannot be served still runs, saying why.
    func open(directory: String) -> (server: EventServer?, messages: [Message]) {
        guard !noServe else { return (nil, []) }
        do {
            let server = try EventServer.open(directory: directory, access: shareGroup ? .group : .owner)
            let who = shareGroup ? "you and your group" : "you only"
            let notes = server.notes.map { Message(level: .info, text: "serve: \($0)") }
            return (server, notes + [Message(level: .info, text: "watch from another terminal: brecq attach \(ShellQuoted(directory)) (\(who))")])
        } catch {
            return (nil, [Message(level: .warning, text: "not served to other terminals: \(error)")])
        }
    }
}

extension SessionFlags {
    /// The runner, with the server (if any) fed every event and its viewers' commands going to the engine.
    func makeRunner(_ configuration: RunConfiguration, serving serve: ServeFlags) -> (SessionRunner, EventServer?) {
        let (server, messages) = serve.open(directory: checkpointDirectory(for: configuration))
        let runner = makeRunner(configuration, server: server, startMessages: messages)
        server?.forwardCommands { runner.send($0) }
        return (runner, server)
    }
}
