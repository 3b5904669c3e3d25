import ArgumentParser

/// `brecq bench …`: measurements that explain how fast a run will be on this
/// machine. A group so that kernel, reconstruction and other benchmarks each
/// live in their own subcommand file.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure kernel and reconstruction speed on this machine.",
        subcommands: [BenchKernels.self, BenchRecon.self]
    )
}
