import Foundation
import TestFixtures
import XCTest

/// Issue #16 item 1: a running `brecq tui` serves its events on
/// CHECKPOINT/events.sock and `brecq attach` dashboards watch it, each in its
/// own terminal. The real binary in tmux panes of the same size.
final class DashboardAttachTests: DashboardTestCase {
    private var viewers: [TmuxSession] = []

    override func tearDown() {
        for viewer in viewers { viewer.kill() }
        viewers = []
        super.tearDown()
    }

    private var socketPath: String { model.file("ck") + "/events.sock" }

    /// Opens a viewer pane of the owner's size running `brecq attach ARGUMENTS`.
    /// brecq runs as a child of an inner `sh` (not exec'd), so that stopping it is
    /// not a stopped job of the pane's interactive shell (which would take the
    /// terminal back and print over the screen).
    private func attach(_ arguments: [String]) throws -> TmuxSession {
        let viewer = try TmuxSession(width: tmux.width, height: tmux.height)
        viewers.append(viewer)
        let wrapper = model.file("run-child.sh")
        if !FileManager.default.fileExists(atPath: wrapper) {
            try "\"$@\"\nexit $?\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        }
        let command = (["sh", wrapper, try BrecqBinary.path(), "attach"] + arguments).map(Self.shellQuoted).joined(separator: " ")
        try viewer.launch(command)
        return viewer
    }

    /// The pid of the viewer's brecq (the inner shell's only child).
    private func viewerPID(_ viewer: TmuxSession) throws -> pid_t {
        let shell = try viewer.programPID()
        var pid: pid_t = 0
        try CommandRun.waitUntil(timeout: 20, "the viewer's brecq") {
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            pid = children.split(separator: " ").first.flatMap { pid_t($0) } ?? 0
            return pid > 0
        }
        return pid
    }

    /// The pane without its bottom line (the hint bar, which names each dashboard's own keys).
    private static func body(_ pane: String) -> [Substring] {
        Array(pane.split(separator: "\n", omittingEmptySubsequences: false).prefix(39))
    }

    /// The process's open sockets (its listening socket, one per viewer, nothing else of the run's).
    private static func openDescriptors(_ pid: pid_t) -> Int {
        let directory = "/proc/\(pid)/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)) ?? "").hasPrefix("socket:")
        }.count
    }

    /// Twenty viewers, one stopped for 30 s and continued: each ends on the owner's
    /// final screen; viewers that leave leave no descriptor behind and the run unaffected.
    func testTwentyViewersOneStalledEndOnTheOwnersScreen() throws {
        try startDashboard(iterations: 30_000)
        let owner = try tmux.programPID()
        var info = stat()
        XCTAssertEqual(lstat(socketPath, &info), 0, "no socket beside the checkpoint")
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "the socket is the owner's only")
        XCTAssertEqual(info.st_uid, geteuid())
        let descriptorsBefore = Self.openDescriptors(owner)

        for _ in 0..<20 { _ = try attach([model.file("ck")]) }
        for viewer in viewers {
            try viewer.waitFor("the viewer to show the run", timeout: 120) { Header.iteration(in: $0) != nil || $0.contains("units ") }
            XCTAssertTrue(viewer.capture().contains("VIEW ONLY"), viewer.capture())
        }
        // Twenty connections on the owner's side, and its run still going.
        XCTAssertEqual(Self.openDescriptors(owner), descriptorsBefore + 20)

        let stalled = try viewerPID(viewers[7])
        kill(stalled, SIGSTOP)
        Thread.sleep(forTimeInterval: 30)
        kill(stalled, SIGCONT)

        let final = try tmux.waitFor("the owner's run to finish", timeout: 600) { Header.badge(in: $0) == "DONE" }
        let expected = Self.body(final)
        for (index, viewer) in viewers.enumerated() {
            var last = ""
            do {
                try viewer.waitFor("viewer \(index) to show the owner's final screen", timeout: 60) { pane in
                    last = pane
                    return Self.body(pane) == expected
                }
            } catch {
                XCTFail("viewer \(index)\(index == 7 ? " (the stalled one)" : "") differs from the owner.\nOwner:\n\(final)\nViewer:\n\(last)")
            }
        }
        // The viewers leave: nothing of them stays in the owner.
        for viewer in viewers { try viewer.sendKeys("q") }
        for viewer in viewers { XCTAssertEqual(try viewer.waitForExit(timeout: 30), 0) }
        try CommandRun.waitUntil(timeout: 10, "the owner to close the viewers' sockets",
                                 describe: { "\(Self.openDescriptors(owner)) descriptors, \(descriptorsBefore) before" }) {
            Self.openDescriptors(owner) == descriptorsBefore
        }
        XCTAssertEqual(Header.badge(in: tmux.capture()), "DONE")
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
        XCTAssertNotEqual(lstat(socketPath, &info), 0, "the socket file is removed at exit")
    }

    /// --control steers for the owner (one dashboard at a time); a view-only one cannot,
    /// and another user cannot even connect to the owner-only socket.
    func testControlSteersForTheOwnerOnlyAndDetachingLeavesTheRunGoing() throws {
        try startDashboard()
        let steering = try attach(["--control", model.file("ck")])
        try steering.waitFor("control granted", timeout: 60) { $0.contains("STEERING") && $0.contains("steering this run") }
        try steering.sendKeys("Space")
        try tmux.waitFor("the owner's run to pause", timeout: 30) { Header.badge(in: $0) == "PAUSED" }
        try steering.waitFor("the viewer to see the pause", timeout: 30) { Header.badge(in: $0) == "PAUSED" }

        let second = try attach(["--control", model.file("ck")])
        XCTAssertEqual(try second.waitForExit(timeout: 60), 1)
        XCTAssertTrue(second.capture().contains("--control: another attached dashboard"), second.capture())

        let watching = try attach([model.file("ck")])
        try watching.waitFor("the view-only dashboard", timeout: 60) { $0.contains("VIEW ONLY") && Header.badge(in: $0) == "PAUSED" }
        try watching.sendKeys("Space")
        try watching.waitFor("the view-only notice", timeout: 20) { $0.contains("view only") }
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(Header.badge(in: tmux.capture()), "PAUSED", "a view-only key must not reach the engine")

        try steering.sendKeys("Space")
        try tmux.waitFor("the owner's run to resume", timeout: 30) { Header.badge(in: $0) == "RUNNING" }
        // Leaving the steering dashboard only detaches it.
        try steering.sendKeys("q")
        XCTAssertEqual(try steering.waitForExit(timeout: 30), 0)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(Header.badge(in: tmux.capture()), "RUNNING")

        // Another user: the owner-only socket (in a 0700 directory) refuses them.
        if geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
           let result = try? runAsNobody(["attach", "--headless", model.file("ck")]) {
            XCTAssertNotEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stderr.contains("Permission denied"), result.stderr)
        }
        try watching.sendKeys("q")
        XCTAssertEqual(try watching.waitForExit(timeout: 30), 0)
    }

    private func runAsNobody(_ arguments: [String]) throws -> CommandResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-nobody-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        chmod(directory.path, 0o777)
        let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
        let child = try Spawned.start("/usr/sbin/runuser", ["-u", "nobody", "--", try BrecqBinary.path()] + arguments,
                                      environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], stdout: out, stderr: err)
        guard let status = child.wait(timeout: 30) else { child.send(SIGKILL); throw TestFailure("runuser did not return") }
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        // The binary itself may be out of nobody's reach (a private checkout): then nothing is shown here.
        if stderr.contains("brecq: Permission denied") || status == 126 { throw TestFailure("binary not reachable") }
        return CommandResult(status: status, stdout: "", stderr: stderr)
    }
}

/// `brecq attach --headless` on a headless run: the progress lines of the whole run, then its end.
final class AttachHeadlessTests: TinyModelTestCase {
    func testHeadlessViewerPrintsTheRunToItsEnd() throws {
        let checkpoint = model.file("ck")
        var viewer: CommandResult?
        let run = try CommandRun.brecq(model.quantizeArguments(iterations: 3000, extra: ["--checkpoint", checkpoint])) { _, _ in
            try CommandRun.waitUntil(timeout: 60, "the socket") { FileManager.default.fileExists(atPath: checkpoint + "/events.sock") }
            viewer = try CommandRun.brecq(["attach", "--headless", checkpoint], timeout: 120)
        }
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("watch from another terminal: brecq attach"), run.stderr)
        let seen = try XCTUnwrap(viewer)
        XCTAssertEqual(seen.status, 0, seen.stderr)
        for expected in ["unit 5/5 head", "quantized top-1", "the run finished"] {
            XCTAssertTrue(seen.stderr.contains(expected), "no '\(expected)' in:\n\(seen.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: checkpoint + "/events.sock"), "socket left behind")
    }

    func testTargetsThatAreNotARunAreRefusedInOneLine() throws {
        let missing = try CommandRun.brecq(["attach", model.file("nothing-here")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such socket"), missing.stderr)
        let file = try CommandRun.brecq(["attach", model.model])
        XCTAssertEqual(file.status, 1)
        XCTAssertTrue(file.stderr.contains("not a socket"), file.stderr)
    }
}
