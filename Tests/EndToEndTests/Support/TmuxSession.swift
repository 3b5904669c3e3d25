import Foundation

/// A detached tmux server on its own socket (`tmux -L NAME`) running a plain
/// `sh`, into which tests type commands and whose pane they read. `kill()`
/// ends the server and everything in it.
final class TmuxSession {
    let socket: String
    let width: Int, height: Int
    private let directory: URL

    /// Where the typed command records its pid and exit status.
    var pidFile: String { directory.appendingPathComponent("pid").path }

    init(width: Int = 120, height: Int = 40, lang: String = "C.UTF-8") throws {
        socket = "brecq-e2e-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var environment = Self.environment
        environment["LANG"] = lang
        environment.removeValue(forKey: "LC_ALL")
        environment.removeValue(forKey: "LC_CTYPE")
        environment.removeValue(forKey: "NO_COLOR")
        environment["XDG_CACHE_HOME"] = directory.appendingPathComponent("cache").path
        // The dashboard's default export directory; kept out of the real home.
        environment["XDG_DATA_HOME"] = directory.appendingPathComponent("data").path
        // The server copies this environment; panes inherit it.
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", String(width), "-y", String(height), "sh"],
                environment: environment)
        _ = try? run(["set-option", "-g", "status", "off"])
        try waitFor("the shell prompt", timeout: 20) { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// Runs a tmux client command and returns its standard output. Output goes
    /// to files: the server that `new-session` forks inherits the client's descriptors.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let id = UUID().uuidString.prefix(8)
        let out = directory.appendingPathComponent("out-\(id)").path, err = directory.appendingPathComponent("err-\(id)").path
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        let child = try Spawned.start("/usr/bin/env", ["tmux", "-L", socket] + arguments,
                                      environment: environment ?? Self.environment, stdout: out, stderr: err)
        guard let status = child.wait(timeout: 30) else {
            child.send(SIGKILL)
            _ = child.wait(timeout: 5)
            throw TestFailure("tmux \(arguments.joined(separator: " ")) did not return")
        }
        guard status == 0 else {
            throw TestFailure("tmux \(arguments.joined(separator: " ")) failed: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        }
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    /// The test process's environment without TMUX (a nested tmux would refuse to start).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TMUX")
        return environment
    }

    /// Types `command` into the shell, wrapped so that the pid of the program is
    /// written to `pidFile` and `__EXIT <status>` is echoed when it ends.
    func launch(_ command: String) throws {
        try? FileManager.default.removeItem(atPath: pidFile)
        let line = "sh -c 'echo $$ > \(pidFile); exec \(command)'; echo __EXIT $?"
        try type(line)
        try sendKeys("Enter")
    }

    /// Literal text, no key names.
    func type(_ text: String) throws { try run(["send-keys", "-t", "e2e", "-l", text]) }

    /// Key names (`Enter`, `Space`, `Tab`, `Escape`, …) or single characters.
    func sendKeys(_ keys: String...) throws { try run(["send-keys", "-t", "e2e"] + keys) }

    func capture() -> String { (try? run(["capture-pane", "-p", "-t", "e2e"])) ?? "" }

    /// The pane with its colours and attributes as escape sequences.
    func captureStyled() -> String { (try? run(["capture-pane", "-p", "-e", "-t", "e2e"])) ?? "" }

    /// A format of the pane, e.g. `#{alternate_on}`.
    func display(_ format: String) -> String {
        ((try? run(["display-message", "-p", "-t", "e2e", format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "e2e", "-x", String(width), "-y", String(height)])
    }

    /// The program's pid once it has started.
    func programPID(timeout: Double = 20) throws -> pid_t {
        var pid: pid_t = 0
        try CommandRun.waitUntil(timeout: timeout, "the program's pid file") {
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                  let value = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            pid = value
            return true
        }
        return pid
    }

    /// Polls the pane every 100 ms until `condition` holds on its text; returns that text.
    /// On timeout, throws with the last pane so a failure shows what was on screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 60, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var pane = ""
        while Date() < deadline {
            pane = capture()
            if condition(pane) { return pane }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestFailure("timed out after \(Int(timeout)) s waiting for \(what); the pane showed:\n\(pane)")
    }

    /// The exit status echoed by `launch`'s wrapper once the program has ended.
    func waitForExit(timeout: Double = 60) throws -> Int {
        let pane = try waitFor("the program to exit", timeout: timeout) { $0.contains("__EXIT ") && Self.exitStatus(in: $0) != nil }
        return Self.exitStatus(in: pane)!
    }

    static func exitStatus(in pane: String) -> Int? {
        for line in pane.split(separator: "\n").reversed() {
            if let range = line.range(of: "__EXIT ") {
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        return nil
    }

    func kill() {
        // The server leaves its socket file behind; remove it as well.
        let socketPath = display("#{socket_path}")
        _ = try? run(["kill-server"])
        if socketPath.hasSuffix(socket) { try? FileManager.default.removeItem(atPath: socketPath) }
        try? FileManager.default.removeItem(at: directory)
    }
}
