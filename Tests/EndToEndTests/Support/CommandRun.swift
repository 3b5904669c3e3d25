import Foundation

/// The outcome of running `brecq` as a subprocess.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stderr without blank lines.
    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
}

/// Runs the real binary with its output in temporary files (no pipe can fill up),
/// optionally acting on the process while it runs.
enum CommandRun {
    /// `extraEnvironment` is added to this process's environment (e.g. a low `BRECQ_MAX_TENSOR_BYTES`).
    static func brecq(_ arguments: [String], timeout: Double = 240, extraEnvironment: [String: String] = [:],
                      whileRunning: ((Spawned, () -> String) throws -> Void)? = nil) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment["LANG"] = "C.UTF-8"
        environment["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-e2e-cache").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-e2e-out-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout").path, err = directory.appendingPathComponent("stderr").path
        let child = try Spawned.start(try BrecqBinary.path(), arguments, environment: environment, stdout: out, stderr: err)
        func readErr() -> String { (try? String(contentsOfFile: err, encoding: .utf8)) ?? "" }
        do {
            try whileRunning?(child, readErr)
        } catch {
            child.send(SIGKILL)
            _ = child.wait(timeout: 10)
            throw error
        }
        guard let status = child.wait(timeout: timeout) else {
            child.send(SIGKILL)
            _ = child.wait(timeout: 10)
            throw TestFailure("brecq \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s; stderr:\n\(readErr())")
        }
        return CommandResult(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: readErr())
    }

    /// Polls `condition` every 50 ms until it holds; throws with `describe()` after `timeout` seconds.
    static func waitUntil(timeout: Double, _ what: String, describe: () -> String = { "" }, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("timed out after \(Int(timeout)) s waiting for \(what)\n\(describe())")
    }
}
