import Foundation
import Synchronization
import XCTest
@testable import Engine
import Quantization

/// The event server behind `brecq attach`, driven through real Unix sockets.
final class EventServerTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-serve-\(UUID().uuidString.prefix(8))").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var socketPath: String { directory + "/events.sock" }

    private func iteration(_ i: Int, hard: Double? = nil) -> EventRecord {
        EventRecord(time: Double(i) * 1e-3, event: .iteration(IterationStats(
            unit: 0, phase: .weights, iteration: i, iterations: 100_000, reconstructionLoss: 1, regularizerLoss: 0,
            beta: 20, iterationsPerSecond: 100, hardLoss: hard)))
    }

    private func message(_ text: String, at time: Double) -> EventRecord {
        EventRecord(time: time, event: .message(Message(level: .info, text: text)))
    }

    /// Reads until `stop` holds on the lines so far (or the server closes); returns the lines.
    private func readLines(_ fd: Int32, timeout: Double = 20, until stop: ([Substring]) -> Bool) -> [Substring] {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            if n > 0 { data.append(contentsOf: buffer[0..<n]) }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            if data.last == 0x0A, stop(lines) { break }
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    private func sendLine(_ fd: Int32, _ text: String) {
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// A viewer that does not read never blocks `publish`; when it reads again it
    /// has every unit-level event in order, fewer iteration events, and the newest one.
    func testAStalledViewerCostsTheEngineNothingAndLosesOnlyIterationEvents() throws {
        let server = try EventServer.open(directory: directory, iterationCapacity: 64)
        defer { server.close(flushSeconds: 0) }
        let viewer = try UnixSocket.connect(to: socketPath)
        defer { close(viewer) }
        try waitUntil { server.statistics.viewers == 1 }

        let count = 40_000
        var markers = 0
        for i in 1...count {
            server.publish(iteration(i, hard: i % 10_000 == 0 ? 0.5 : nil))
            if i % 5000 == 0 { markers += 1; server.publish(message("marker \(markers)", at: Double(i) * 1e-3)) }
        }
        // Every publish returned although nobody read: the engine was never held up.
        let lines = readLines(viewer) { $0.last?.contains("marker \(markers)") ?? false }
        let texts = lines.filter { $0.contains("\"message\"") }.map { String($0) }
        XCTAssertEqual(texts.count, markers, "unit-level events are never dropped")
        XCTAssertEqual(texts.map { $0.contains("marker \(texts.firstIndex(of: $0)! + 1)\"") }, Array(repeating: true, count: markers))
        let iterations = lines.compactMap { line -> Int? in
            guard line.contains("\"iteration\""), let m = line.firstMatch(of: /"iteration":(\d+)/) else { return nil }
            return Int(m.1)
        }
        XCTAssertLessThan(iterations.count, count, "a lagging viewer gets fewer iteration events")
        // How many are thinned depends on how far the server thread fell behind (a loaded
        // machine thins more); what is kept is fixed: order, the newest, the hard losses.
        XCTAssertEqual(iterations, iterations.sorted(), "order is kept")
        XCTAssertEqual(iterations.last, count, "the newest iteration event is always sent")
        for hard in stride(from: 10_000, through: count, by: 10_000) {
            XCTAssertTrue(iterations.contains(hard), "iteration \(hard) carries a hard loss and is kept")
        }
        // The server thread reports its counts after the write the viewer just read.
        try waitUntil { server.statistics.droppedIterationEvents == count - iterations.count }
    }

    /// A viewer that connects late gets the whole history, then what follows.
    func testALateViewerGetsTheHistoryThenLiveEvents() throws {
        let server = try EventServer.open(directory: directory)
        defer { server.close(flushSeconds: 0) }
        for i in 1...10 { server.publish(iteration(i)) }
        let viewer = try UnixSocket.connect(to: socketPath)
        defer { close(viewer) }
        _ = readLines(viewer) { $0.count >= 10 }
        server.publish(message("live", at: 1))
        let rest = readLines(viewer) { $0.last?.contains("live") ?? false }
        XCTAssertEqual(rest.count, 1)
        XCTAssertEqual(try EventLog.record(fromLine: Data(rest[0].utf8)).event, .message(Message(level: .info, text: "live")))
    }

    /// Requests are hostile input: garbage, commands without control and a stop
    /// are refused and never reach the engine; the owner's control request is
    /// granted once; an endless line ends the connection.
    func testRequestsAreCheckedAndOnlyTheControllerSteers() throws {
        let server = try EventServer.open(directory: directory)
        defer { server.close(flushSeconds: 0) }
        let received = Mutex<[EngineCommand]>([])
        server.forwardCommands { command in received.withLock { $0.append(command) } }
        let first = try UnixSocket.connect(to: socketPath), second = try UnixSocket.connect(to: socketPath)
        defer { close(first); close(second) }

        sendLine(first, "not json \u{1b}[2J")
        sendLine(first, String(data: ViewerRequest.command(.pause).line(), encoding: .utf8)!)
        var replies = readLines(first) { $0.count >= 2 }
        XCTAssertEqual(replies.compactMap { ControlReply.parse(Data($0.utf8))?.granted }, [false, false], "\(replies)")

        sendLine(first, String(data: ViewerRequest.control.line(), encoding: .utf8)!)
        sendLine(first, String(data: ViewerRequest.command(.pause).line(), encoding: .utf8)!)
        sendLine(first, #"{"request":"command","command":"stop"}"#)
        sendLine(first, #"{"request":"command","command":"lock","layer":"conv\u001b[31m","wbits":4,"abits":4}"#)
        replies = readLines(first) { $0.count >= 3 }
        XCTAssertEqual(replies.compactMap { ControlReply.parse(Data($0.utf8))?.granted }, [true, false, false], "\(replies)")
        sendLine(second, String(data: ViewerRequest.control.line(), encoding: .utf8)!)
        let refused = readLines(second) { $0.count >= 1 }
        XCTAssertEqual(refused.first.flatMap { ControlReply.parse(Data($0.utf8)) }?.granted, false)
        XCTAssertTrue(refused.first?.contains("another attached dashboard") ?? false, "\(refused)")
        try waitUntil { received.withLock { $0 } == [.pause] }

        // A line without end: the server closes the connection rather than hold it.
        let endless = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        _ = endless.withUnsafeBytes { send(second, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try waitUntil { server.statistics.viewers == 1 }
        XCTAssertEqual(received.withLock { $0 }, [.pause])
    }

    /// Every command a dashboard sends parses back to itself; stop never does.
    func testCommandsSurviveTheWire() {
        var h = Hyperparameters()
        h.roundWeight = 0.5
        let commands: [EngineCommand] = [.pause, .resume, .setIterations(current: 5, default: nil), .lock(layer: "a/b", wbits: 4, abits: 8),
                                         .unlock(layer: "a/b"), .setHyperparameters(h, restartCurrent: true), .restartUnit, .skipUnit,
                                         .evaluate(images: 100), .startSearch, .rewind(unit: 0), .rewind(unit: 7)]
        for command in commands {
            XCTAssertEqual(try ViewerRequest.parse(ViewerRequest.command(command).line()).get(), .command(command))
        }
        XCTAssertThrowsError(try ViewerRequest.parse(ViewerRequest.command(.stop).line()).get())
        XCTAssertEqual(try ViewerRequest.parse(ViewerRequest.control.line()).get(), .control)
        XCTAssertEqual(String(decoding: ViewerRequest.command(.rewind(unit: 3)).line(), as: UTF8.self),
                       #"{"command":"rewind","request":"command","unit":3}"#)
        // A rewind names a unit within the limits; the engine checks it against the run.
        for bad in [#"{"request":"command","command":"rewind"}"#, #"{"request":"command","command":"rewind","unit":-1}"#,
                    #"{"request":"command","command":"rewind","unit":100000}"#, #"{"request":"command","command":"rewind","unit":"2"}"#] {
            XCTAssertThrowsError(try ViewerRequest.parse(Data(bad.utf8)).get(), bad)
        }
    }

    /// A killed run's socket is replaced; anything else at the name is left alone;
    /// a live server is not taken over; close removes only our own file.
    func testStaleSocketsAreReplacedAndNothingElseIs() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Stale: bound, then its process "died" (closed without unlinking).
        let stale = try UnixSocket.makeSocket(nonBlocking: false)
        XCTAssertEqual(try UnixSocket.withAddress(of: socketPath) { bind(stale, $0, $1) }, 0)
        close(stale)
        let server = try EventServer.open(directory: directory)
        XCTAssertTrue(server.notes.contains { $0.contains("stale") }, "\(server.notes)")
        var info = stat()
        XCTAssertEqual(lstat(socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertThrowsError(try EventServer.open(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("another run is serving"), "\(error)")
        }
        server.close()
        XCTAssertNotEqual(lstat(socketPath, &info), 0, "close removes the socket")

        try "not a socket".write(toFile: socketPath, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try EventServer.open(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("not a socket"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: socketPath, encoding: .utf8), "not a socket")
    }

    /// --share-group: 0660, and the directory lets the group through.
    func testGroupAccessOpensTheSocketAndTheDirectoryToTheGroup() throws {
        let server = try EventServer.open(directory: directory, access: .group)
        defer { server.close() }
        var info = stat()
        XCTAssertEqual(lstat(socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o660)
        XCTAssertEqual(stat(directory, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o710)
    }

    /// The attach side: records decoded and validated, a hostile line skipped and
    /// said, the end of the stream noticed.
    func testAttachedSessionValidatesWhatItReads() throws {
        let server = try EventServer.open(directory: directory)
        let session = try AttachedSession.connect(to: directory, control: false)
        session.start()
        defer { session.stop() }
        server.publish(message("hello \u{1b}[2J", at: 0.5))
        server.publish(EventRecord(time: 1, event: .finished(RunSummary(fpTop1: 0.5, quantTop1: 0.4, wallSeconds: 1))))
        server.close()
        try waitUntil { !session.isConnected }
        let records = session.drainEvents()
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records.first?.event, .message(Message(level: .info, text: "hello \\e[2J")), "control characters are made visible")
        XCTAssertTrue(session.sawFinished)
        session.send(.pause)
        XCTAssertTrue(session.drainEvents().contains { if case .message(let m) = $0.event { m.text.contains("read-only") } else { false } })
    }

    private func waitUntil(timeout: Double = 10, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TimedOut(seconds: timeout)
    }

    /// The test fails (not skips) when what it waits for never happens.
    private struct TimedOut: Error, CustomStringConvertible {
        var seconds: Double
        var description: String { "condition not met within \(seconds) s" }
    }

    /// The engine thread may publish while the dashboard's exit closes the
    /// server (a refused terminal closes it at once). Such a publish must not
    /// meet the wake pipe with its read end closed — SIGPIPE ended the whole
    /// process with status 141 — so this test process must survive a publisher
    /// racing `close`; and a publish after `close` must not write into a
    /// descriptor the process has since reused: a fresh pipe opened after
    /// `close`, which gets the wake pipe's old numbers, must stay empty.
    func testPublishingWhileAndAfterClosingWritesNothingAnywhere() throws {
        for round in 0..<10 {
            let racing = try EventServer.open(directory: directory + "-r\(round)")
            let record = iteration(1)
            let publisher = Thread { for _ in 0..<20_000 { racing.publish(record) } }
            publisher.start()
            racing.close(flushSeconds: 0)

            let quiet = try EventServer.open(directory: directory + "-q\(round)")
            quiet.publish(record)
            Thread.sleep(forTimeInterval: 0.02)  // the server thread drains it: the next publish writes a wake-up
            quiet.close(flushSeconds: 0)
            var fds: [Int32] = [0, 0]
            XCTAssertEqual(pipe(&fds), 0)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            quiet.publish(record)
            var byte: UInt8 = 0
            XCTAssertEqual(read(fds[0], &byte, 1), -1, "round \(round): a wake-up byte reached an unrelated pipe")
            close(fds[0]); close(fds[1])
            Thread.sleep(forTimeInterval: 0.05)
            for suffix in ["-r", "-q"] { try? FileManager.default.removeItem(atPath: directory + suffix + "\(round)") }
        }
    }
}
