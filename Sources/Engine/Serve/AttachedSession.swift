import Foundation
import Synchronization
import Tensor

/// `brecq attach`'s side of a served run: a reader thread takes the event
/// lines off the socket, checks each one as a recording's line is checked
/// (`RecordingLineDecoder`: every field validated, time never going back) and
/// hands the records to the dashboard through an `EventBuffer`, as a live
/// session does. Commands go back over the socket only once the server has
/// granted control; otherwise the session is read-only and drops them.
public final class AttachedSession: SessionHandle {
    public let socketPath: String
    /// Control was asked for (the server answers; see `controlGranted`).
    public let wantsControl: Bool
    private let fd: Int32
    /// As large as the server's lag bound: a viewer continued after a stop reads its
    /// backlog in one burst, and thinning it here would draw other loss curves than the owner's.
    private let buffer = EventBuffer(iterationCapacity: EventServer.defaultIterationCapacity)
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let ended = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    struct State {
        var controlGranted: Bool?
        var controlReason: String?
        var lastTime = 0.0
        var notices: [Message] = []
        var sawFinished = false
        var connected = true
        var skippedLines = 0
    }

    /// The socket of the run checkpointed in `target` (a directory), or `target` itself.
    public static func socketPath(for target: String) -> String {
        var info = stat()
        if stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return EventServer.socketPath(inDirectory: target) }
        return target
    }

    /// Connects to the run served at `target`. With `control`, the socket and
    /// the serving process must be the caller's own (checked here with stat and
    /// SO_PEERCRED, and again by the server), and control is requested.
    public static func connect(to target: String, control: Bool) throws -> AttachedSession {
        let path = socketPath(for: target)
        let shown = TerminalText.sanitized(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw UnixSocket.Failure(errno == ENOENT ? "\(shown): no such socket (is the run started with a checkpoint there, and still running?)"
                                                     : "\(shown): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw UnixSocket.Failure("\(shown): not a socket; expected a run's checkpoint directory or its events.sock") }
        if control, info.st_uid != geteuid() {
            throw UnixSocket.Failure("--control: \(shown) belongs to uid \(info.st_uid); only the run's owner may steer it")
        }
        let fd: Int32
        do { fd = try UnixSocket.connect(to: path) } catch let failure as UnixSocket.Failure {
            if failure.description.hasSuffix(String(cString: strerror(ECONNREFUSED))) {
                throw UnixSocket.Failure("\(shown): nobody serves this socket (the run has ended)")
            }
            throw failure
        }
        if control, let server = UnixSocket.peerCredentials(fd), server.uid != geteuid() {
            close(fd)
            throw UnixSocket.Failure("--control: the run at \(shown) is served by uid \(server.uid); only its owner may steer it")
        }
        let session = AttachedSession(path: path, fd: fd, control: control)
        if control { session.write(ViewerRequest.control.line()) }
        return session
    }

    private init(path: String, fd: Int32, control: Bool) {
        self.socketPath = path
        self.fd = fd
        self.wantsControl = control
    }

    /// nil until the server answered a control request.
    public var controlGranted: Bool? { state.withLock { $0.controlGranted } }
    /// Waits for the server's answer to the control request; nil when none came in time.
    public func waitForControlReply(timeout: Double) -> (granted: Bool, reason: String?)? {
        let deadline = ProcessInfo.processInfo.systemUptime + timeout
        while ProcessInfo.processInfo.systemUptime < deadline {
            if let answer = state.withLock({ s in s.controlGranted.map { ($0, s.controlReason) } }) { return answer }
            if !isConnected { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    /// The connection is open (false once the run closed it or it failed).
    public var isConnected: Bool { state.withLock { $0.connected } }
    /// The run's `finished` event has arrived.
    public var sawFinished: Bool { state.withLock { $0.sawFinished } }

    /// Starts the reader thread.
    public func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            readLoop()
            ended.signal()
        }
        thread.name = "brecq.attach"
        thread.start()
    }

    /// Events since the previous call, then notices of this connection (as
    /// messages, timed at the last event so the log keeps its order).
    public func drainEvents() -> [EventRecord] {
        let records = buffer.drain()
        let notices = state.withLock { s in
            defer { s.notices.removeAll() }
            return s.notices.map { EventRecord(time: s.lastTime, event: .message($0)) }
        }
        return records + notices
    }

    /// Forwards a command when this dashboard steers; a read-only one says so.
    public func send(_ command: EngineCommand) {
        // Leaving (or a signal) only detaches: the owner's run is not ours to stop.
        if command == .stop { return }
        switch state.withLock({ $0.controlGranted }) {
        case true?: write(ViewerRequest.command(command).line())
        default: post(Message(level: .warning, text: "read-only: this attached dashboard does not steer the run"))
        }
    }

    /// Closes the connection and waits for the reader thread.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        if started.load(ordering: .relaxed) { ended.wait() }
        close(fd)
    }

    deinit { if !stopped.load(ordering: .relaxed) { close(fd) } }

    private func post(_ message: Message) { state.withLock { $0.notices.append(message) } }

    /// One request line; a request is small, so a full socket (a stalled server) only drops it.
    private func write(_ line: Data) {
        let bytes = line + Data("\n".utf8)
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        if n != bytes.count { post(Message(level: .warning, text: "command not sent: the connection to the run is busy or closed")) }
    }

    private func readLoop() {
        var decoder = RecordingLineDecoder()
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var reason: String?
        reading: while !stopped.load(ordering: .relaxed) {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                if !stopped.load(ordering: .relaxed) { reason = "the connection failed: \(String(cString: strerror(errno)))" }
                break
            }
            pending.append(contentsOf: chunk[0..<n])
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                let line = pending[start..<newline]
                start = newline + 1
                if line.isEmpty { continue }
                if let reply = ControlReply.parse(Data(line)) { take(reply); continue }
                switch decoder.decode(Data(line)) {
                case .success(let record):
                    buffer.append(record)
                    state.withLock { s in
                        s.lastTime = record.time
                        if case .finished = record.event { s.sawFinished = true }
                    }
                case .failure(let error):
                    skip(error.reason)
                }
            }
            pending = Data(pending[start...])
            if pending.count > FollowReader.maximumLineBytes {
                reason = "the run sent a line longer than \(FollowReader.maximumLineBytes) bytes; disconnected"
                break reading
            }
        }
        let finished = state.withLock { s -> Bool in
            s.connected = false
            return s.sawFinished
        }
        guard !stopped.load(ordering: .relaxed) else { return }
        if let reason {
            post(Message(level: .error, text: reason))
        } else if !finished {
            post(Message(level: .warning, text: "the run's stream closed before it finished (its owner quit or the run was stopped)"))
        }
    }

    private func take(_ reply: ControlReply) {
        // The first reply answers the control request; later ones refuse a command.
        let first = state.withLock { s -> Bool in
            guard s.controlGranted == nil else { return false }
            s.controlGranted = reply.granted
            s.controlReason = reply.reason
            return true
        }
        if !first {
            post(Message(level: .warning, text: "command refused: \(reply.reason ?? "refused")"))
        } else if reply.granted {
            post(Message(level: .info, text: "steering this run: keys go to its engine (q only detaches)"))
        } else {
            post(Message(level: .warning, text: "not steering: \(reply.reason ?? "refused")"))
        }
    }

    private func skip(_ reason: String) {
        let count = state.withLock { s -> Int in s.skippedLines += 1; return s.skippedLines }
        if count <= 3 { post(Message(level: .warning, text: "skipped an unreadable event from the run: \(TerminalText.sanitized(reason))")) }
    }
}
