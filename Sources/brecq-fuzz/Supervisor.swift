import Foundation
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
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let start = Date()
        do { try process.run() } catch { return .crashed("cannot start: \(error)") }
        var peak = 0
        while process.isRunning {
            peak = max(peak, residentMB(process.processIdentifier))
            if peak > rssLimitMB { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return .overMemory(peak) }
            if Date().timeIntervalSince(start) > timeout { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return .timedOut }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(start)
        if process.terminationReason == .uncaughtSignal {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let reason = text.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("error") }.map(String.init) ?? ""
            return .crashed("signal \(process.terminationStatus) \(reason)")
        }
        return process.terminationStatus == 0 ? .passed(seconds: seconds) : .crashed("exit \(process.terminationStatus)")
    }

    /// Resident set size of `pid` in MB, from /proc (0 when unknown).
    private func residentMB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
