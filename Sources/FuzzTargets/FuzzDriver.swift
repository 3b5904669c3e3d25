import Foundation

/// The in-process driver CI runs: replay files, then mutate seeds for a fixed
/// number of cases with a fixed seed. Before each case the input is written
/// to `currentInputPath`, so when a case traps and takes the process down the
/// input that did it is on disk. (Isolation per case, timeouts and RSS limits
/// are libFuzzer's job: see Fuzz/ and docs/fuzzing.md.)
public struct FuzzDriver {
    public struct Report: Sendable, CustomStringConvertible {
        public var target: FuzzTarget
        public var cases = 0
        /// Inputs the parser accepted (the rest were refused with an error).
        public var accepted = 0
        public var seconds = 0.0
        /// The slowest case, in seconds, and its index.
        public var slowest = 0.0
        public var description: String {
            "\(target.rawValue): \(cases) cases, \(accepted) accepted, \(String(format: "%.2f", seconds)) s, slowest \(String(format: "%.3f", slowest)) s"
        }
    }

    public let target: FuzzTarget
    /// Where each input is written before it runs.
    public let currentInputPath: String

    public init(target: FuzzTarget, currentInputPath: String? = nil) {
        self.target = target
        self.currentInputPath = currentInputPath ?? Self.defaultCurrentInputPath(target)
    }

    /// `$BRECQ_FUZZ_CRASH_DIR/<target>.current`, else the temporary directory.
    public static func defaultCurrentInputPath(_ target: FuzzTarget) -> String {
        let directory = ProcessInfo.processInfo.environment["BRECQ_FUZZ_CRASH_DIR"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: directory).appendingPathComponent("brecq-fuzz-\(target.rawValue).current").path
    }

    /// Where the number of the case being run is written beside the input (for `brecq-fuzz run --supervised`).
    public var currentCasePath: String { currentInputPath + ".case" }

    /// Runs one input, timing it; returns whether the parser accepted it.
    @discardableResult
    public func runCase(_ input: Data, report: inout Report) -> Bool {
        try? input.write(to: URL(fileURLWithPath: currentInputPath))
        try? Data(String(report.cases).utf8).write(to: URL(fileURLWithPath: currentCasePath))
        let start = Date()
        var accepted = true
        do { try target.run(input) } catch { accepted = false }
        let elapsed = Date().timeIntervalSince(start)
        report.cases += 1
        report.seconds += elapsed
        report.slowest = max(report.slowest, elapsed)
        if accepted { report.accepted += 1 }
        return accepted
    }

    /// Runs every file once (a regression corpus).
    public func replay(_ files: [URL], onCase: (URL, Double) -> Void = { _, _ in }) -> Report {
        var report = Report(target: target)
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            let before = report.seconds
            runCase(data, report: &report)
            onCase(file, report.seconds - before)
        }
        return report
    }

    /// `cases` mutations of `seeds` chosen with `seed`; each seed itself runs first.
    public func fuzz(seeds: [Data], cases: Int, seed: UInt64) -> Report {
        var report = Report(target: target)
        var mutator = Mutator(seed: seed)
        var pool = seeds.isEmpty ? [Data()] : seeds
        for input in seeds { runCase(input, report: &report) }
        for _ in 0..<cases {
            let parent = pool[mutator.below(pool.count)]
            let input = mutator.mutate(parent, format: target.format, corpus: pool)
            // Accepted inputs become parents: deeper edits of what still parses.
            if runCase(input, report: &report), pool.count < 256 { pool.append(input) }
        }
        return report
    }
}
