import ArgumentParser

@main
struct Brecq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brecq",
        abstract: "BRECQ post-training quantization, watched and steered from the terminal.",
        subcommands: [Tui.self, Quantize.self, Replay.self, Bench.self, Eval.self, Inspect.self, Export.self, Search.self],
        defaultSubcommand: Tui.self
    )
}
