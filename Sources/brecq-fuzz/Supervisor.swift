import Foundation
import Synchronization
import FuzzTargets

/// Runs each input in a child process (`brecq-fuzz replay TARGET FILE`) and
/// sorts the outcome: passed, crashed (signal or non-zero exit), timed out, or
/// over the RSS limit. A crash does not end the run, so one command lists every
/// regression input that still fails; failing inputs are copied to `crashDirectory`.
struct Supervisor {
    let target: FuzzTarget
    let timeout: Double
    let rssLimitMB: Int
    let crashDirectory: String?

    enum Outcome: CustomStringConvertible {
        case passed(seconds: Double), crashed(String), timedOut, overMemory(Int)
        var description: String {
            switch self {
            case .passed(let s): String(format: "ok %.2fs", s)
            case .crashed(let why): "CRASH \(why)"
            case .timedOut: "TIMEOUT"
            case .overMemory(let mb): "RSS \(mb) MB"
            }
        }
        var failed: Bool { if case .passed = self { false } else { true } }
    }

    /// Returns the number of failing inputs.
    func run(_ files: [URL]) -> Int {
        var failures = 0
        for file in files {
            let outcome = runChild(file)
            print("\(outcome)\t\(file.path)")
            guard outcome.failed else { continue }
            failures += 1
            if let crashDirectory {
                let destination = URL(fileURLWithPath: crashDirectory).appendingPathComponent("\(target.rawValue)-\(file.lastPathComponent)")
                try? FileManager.default.createDirectory(atPath: crashDirectory, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: destination)
                try? FileManager.default.copyItem(at: file, to: destination)
            }
        }
        print("\(target.rawValue): \(files.count - failures) of \(files.count) passed")
        return failures
    }

    private func runChild(_ file: URL) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["replay", target.rawValue, file.path]
        // The child's own summary line (cases, accepted, slowest case) is worth keeping.
        process.standardOutput = FileHandle.standardOutput
        // A file, not a pipe: a crash's backtrace can be larger than a pipe holds while nobody reads it.
        let errorPath = NSTemporaryDirectory() + "brecq-fuzz-supervise-\(getpid()).stderr"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        guard let errors = FileHandle(forWritingAtPath: errorPath) else { return .crashed("cannot open \(errorPath)") }
        defer { try? errors.close() }
        process.standardError = errors
        let start = Date()
        do { try process.run() } catch { return .crashed("cannot start: \(error)") }
        var peak = 0
        while process.isRunning {
            peak = max(peak, Self.residentMB(process.processIdentifier))
            if peak > rssLimitMB { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return .overMemory(peak) }
            if Date().timeIntervalSince(start) > timeout { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return .timedOut }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(start)
        if process.terminationReason == .uncaughtSignal {
            let text = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            return .crashed("signal \(process.terminationStatus) \(Self.crashSite(in: text))")
        }
        return process.terminationStatus == 0 ? .passed(seconds: seconds) : .crashed("exit \(process.terminationStatus)")
    }

    /// Where a crash happened, from the Swift backtrace: the first frame in the
    /// package's sources outside the harness, as `File.swift:line`, and the fatal error message if any.
    static func crashSite(in backtrace: String) -> String {
        let lines = backtrace.split(separator: "\n")
        let message = lines.first { $0.contains("Fatal error") }.map { String($0.trimmingCharacters(in: .whitespaces)) + " " } ?? ""
        let frame = lines.first { $0.contains("/Sources/") && !$0.contains("/FuzzTargets/") && !$0.contains("/brecq-fuzz/") }
        guard let frame, let at = frame.range(of: "/Sources/") else { return message }
        let location = frame[at.upperBound...].split(separator: " ").first.map(String.init) ?? ""
        return message + location
    }

    /// Resident set size of `pid` in MB, from /proc (0 when unknown).
    static func residentMB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}

/// `brecq-fuzz run --supervised`: the in-process driver in a child process
/// that is restarted after each crash, hang or RSS overrun, with the input that
/// did it saved, until the cases are done. Lists every crash of a run instead
/// of stopping at the first (the CI driver stops, libFuzzer's -fork mode goes on).
struct SupervisedRun {
    let target: FuzzTarget
    let cases: Int
    let seed: UInt64
    let withoutRegressions: Bool
    let timeout: Double
    let rssLimitMB: Int
    let crashDirectory: String
    /// The largest resident size seen in any child, in MB (sampled every 20 ms).
    private static let peak = Mutex<Int>(0)
    private var peakResidentMB: Int {
        get { Self.peak.withLock { $0 } }
        nonmutating set { Self.peak.withLock { $0 = newValue } }
    }
    /// Restarts after this many failures (a target that crashes on every input would never finish).
    let maxFailures = 100

    /// Returns the number of failing inputs saved.
    func run() -> Int {
        let work = NSTemporaryDirectory() + "brecq-fuzz-supervised-\(getpid())"
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: crashDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let driver = FuzzDriver(target: target, currentInputPath: work + "/brecq-fuzz-\(target.rawValue).current")
        var done = 0, failures = 0, round: UInt64 = 0
        peakResidentMB = 0
        while done < cases, failures < maxFailures {
            try? FileManager.default.removeItem(atPath: driver.currentCasePath)
            var arguments = ["run", target.rawValue, "--cases", String(cases - done), "--seed", String(seed &+ round)]
            if withoutRegressions || round > 0 { arguments.append("--without-regressions") }  // seeds run once
            let (outcome, ranCases) = runChild(arguments, environment: ["BRECQ_FUZZ_CRASH_DIR": work], driver: driver)
            round += 1
            guard let outcome else { done = cases; break }  // finished all its cases
            failures += 1
            done += max(1, ranCases)
            let data = (try? Data(contentsOf: URL(fileURLWithPath: driver.currentInputPath))) ?? Data()
            let name = "\(target.rawValue)-\(failures)-\(Self.hex(data.hashValue))"
            _ = FileManager.default.createFile(atPath: crashDirectory + "/" + name, contents: data)
            print("\(outcome)\t\(crashDirectory)/\(name)")
        }
        print("\(target.rawValue): \(done) cases in \(round) child run(s), peak RSS \(peakResidentMB) MB, \(failures) failing inputs saved in \(crashDirectory)")
        return failures
    }

    private static func hex(_ value: Int) -> String { String(UInt(bitPattern: value), radix: 16) }

    /// Nil when the child finished; else what went wrong and how many cases it had started.
    private func runChild(_ arguments: [String], environment: [String: String], driver: FuzzDriver) -> (Supervisor.Outcome?, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // The child's own summary line (cases, accepted, slowest case) is worth keeping.
        process.standardOutput = FileHandle.standardOutput
        let errorPath = NSTemporaryDirectory() + "brecq-fuzz-supervised-\(getpid()).stderr"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        guard let errors = FileHandle(forWritingAtPath: errorPath) else { return (.crashed("cannot open \(errorPath)"), 0) }
        defer { try? errors.close() }
        process.standardError = errors
        do { try process.run() } catch { return (.crashed("cannot start: \(error)"), 0) }
        var lastCase = -1, caseStart = Date()
        func currentCase() -> Int {
            (try? String(contentsOfFile: driver.currentCasePath, encoding: .utf8)).flatMap { Int($0) } ?? 0
        }
        while process.isRunning {
            let k = currentCase()
            if k != lastCase { lastCase = k; caseStart = Date() }
            let rss = Supervisor.residentMB(process.processIdentifier)
            peakResidentMB = max(peakResidentMB, rss)
            if rss > rssLimitMB { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return (.overMemory(rss), k + 1) }
            if Date().timeIntervalSince(caseStart) > timeout {
                kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return (.timedOut, k + 1)
            }
            usleep(20_000)
        }
        if process.terminationReason == .exit, process.terminationStatus == 0 { return (nil, currentCase() + 1) }
        let text = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (.crashed("signal \(process.terminationStatus) \(Supervisor.crashSite(in: text))"), currentCase() + 1)
    }
}
