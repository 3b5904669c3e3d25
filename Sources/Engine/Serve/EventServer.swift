import Foundation
import Synchronization
import Tensor

/// Serves a run's event stream to `brecq attach` viewers on a Unix-domain
/// socket beside the checkpoint. The engine thread only appends to an inbox
/// and writes a byte to a wake-up pipe (never blocking); a server thread of
/// its own encodes each record once and writes to every viewer through
/// non-blocking sockets. A viewer gets the whole history on connect, then the
/// live events; one that cannot keep up costs a cursor and one bounded chunk,
/// never the engine's time (see `ServeLoop`).
public final class EventServer: Sendable {
    /// Who may connect: the owner only (0600), or also the owner's group (0660).
    public enum Access: Sendable, Equatable { case owner, group }

    /// Iteration events a viewer may be behind before it gets only some of them: about
    /// a minute of the fastest stream (a tiny model) and hours of a real one, so a
    /// viewer stalled for a while still draws the owner's loss curves once it reads again;
    /// beyond that, catching up costs fewer bytes (lines are shared, not copied per viewer).
    public static let defaultIterationCapacity = 32_768

    public let socketPath: String
    public let access: Access
    /// What `open` did that the user should hear of (a stale socket replaced, the directory opened to the group).
    public let notes: [String]

    private let listenFD: Int32
    private let wakeRead: Int32
    /// The pipe's write end; nil once `close` has closed it, so that a late
    /// `publish` from the engine thread cannot write into a recycled descriptor.
    private let wakeWrite: Mutex<Int32?>
    /// The socket file's identity, so that only our own file is removed at the end.
    private let device: UInt64, inode: UInt64
    private let inbox = Mutex(Inbox())
    private let stats = Mutex(ServeStatistics())
    private let ended = DispatchSemaphore(value: 0)
    private let closed = Atomic<Bool>(false)
    private let commandHandler = Mutex<(@Sendable (EngineCommand) -> Void)?>(nil)

    struct Inbox {
        var records: [EventRecord] = []
        var wakePending = false
        /// Set by `close`: stop accepting, flush what viewers can take until this uptime.
        var closeDeadline: Double?
    }

    /// Opens `DIRECTORY/events.sock` and starts the server thread. A socket
    /// file left by a killed run (ours, a socket, nobody answering) is replaced;
    /// anything else at that name is left alone and refused.
    /// - Parameter commands: where a steering viewer's commands go (the engine's mailbox).
    public static func open(directory: String, access: Access = .owner,
                            iterationCapacity: Int = EventServer.defaultIterationCapacity) throws -> EventServer {
        // The checkpoint directory, made as the engine makes it (0700; never a link or someone else's).
        do { try CheckpointStore(directory: directory).prepareDirectory() } catch {
            throw UnixSocket.Failure("\(error)")
        }
        let path = directory.hasSuffix("/") ? directory + UnixSocket.fileName : directory + "/" + UnixSocket.fileName
        var notes: [String] = []
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw UnixSocket.Failure("\(TerminalText.sanitized(path)): exists and is not a socket; not replaced")
            }
            guard info.st_uid == geteuid() else {
                throw UnixSocket.Failure("\(TerminalText.sanitized(path)): owned by uid \(info.st_uid); not replaced")
            }
            guard !UnixSocket.isServed(path) else {
                throw UnixSocket.Failure("\(TerminalText.sanitized(path)): another run is serving this checkpoint directory")
            }
            guard unlink(path) == 0 || errno == ENOENT else { throw UnixSocket.Failure(path, "cannot remove the stale socket") }
            notes.append("replaced the stale socket of a run that ended without removing it")
        }
        let fd = try UnixSocket.makeSocket(nonBlocking: true)
        var keep = false
        defer { if !keep { Glibc.close(fd) } }
        guard try UnixSocket.withAddress(of: path, { bind(fd, $0, $1) }) == 0 else { throw UnixSocket.Failure(path, "cannot bind") }
        // Until this chmod the file has the umask's mode; peers are also checked by uid at accept.
        guard chmod(path, access == .owner ? 0o600 : 0o660) == 0, lstat(path, &info) == 0 else {
            let failure = UnixSocket.Failure(path, "cannot set permissions")
            unlink(path)
            throw failure
        }
        guard listen(fd, 64) == 0 else {
            let failure = UnixSocket.Failure(path, "cannot listen")
            unlink(path)
            throw failure
        }
        if access == .group { notes += openDirectoryToGroup(directory) }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            let failure = UnixSocket.Failure("pipe: \(String(cString: strerror(errno)))")
            unlink(path)
            throw failure
        }
        UnixSocket.makeNonBlocking(pipeFDs[0])
        UnixSocket.makeNonBlocking(pipeFDs[1])
        keep = true
        let server = EventServer(path: path, access: access, notes: notes, listenFD: fd, wake: (pipeFDs[0], pipeFDs[1]),
                                 device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        server.start(iterationCapacity: iterationCapacity)
        return server
    }

    /// Group members must be able to pass through the (0700) checkpoint directory to reach the socket.
    private static func openDirectoryToGroup(_ directory: String) -> [String] {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o010 == 0 else { return [] }
        guard chmod(directory, (info.st_mode & 0o7777) | 0o010) == 0 else {
            return ["\(TerminalText.sanitized(directory)): cannot let the group through (\(String(cString: strerror(errno)))); group members cannot attach"]
        }
        return ["let the group through \(TerminalText.sanitized(directory)) (g+x) to reach the socket"]
    }

    private init(path: String, access: Access, notes: [String], listenFD: Int32, wake: (Int32, Int32), device: UInt64, inode: UInt64) {
        self.socketPath = path
        self.access = access
        self.notes = notes
        self.listenFD = listenFD
        self.wakeRead = wake.0
        self.wakeWrite = Mutex(wake.1)
        self.device = device
        self.inode = inode
    }

    private func start(iterationCapacity: Int) {
        let thread = Thread { [self] in
            let loop = ServeLoop(listenFD: listenFD, wakeFD: wakeRead, access: access, iterationCapacity: iterationCapacity,
                                 commands: { command in self.commandHandler.withLock { $0 }?(command) })
            loop.run(takeInbox: { self.inbox.withLock { i in
                defer { i.records.removeAll(); i.wakePending = false }
                return (i.records, i.closeDeadline)
            } }, report: { s in self.stats.withLock { $0 = s } })
            ended.signal()
        }
        thread.name = "brecq.serve"
        thread.start()
    }

    /// Hands a record to the server thread. Called on the engine thread: a
    /// short lock and at most one non-blocking one-byte write.
    public func publish(_ record: EventRecord) {
        let wake = inbox.withLock { i -> Bool in
            i.records.append(record)
            defer { i.wakePending = true }
            return !i.wakePending
        }
        if wake { signalThread() }
    }

    private func signalThread() {
        wakeWrite.withLock { fd in
            guard let fd else { return }
            var byte: UInt8 = 1
            // EAGAIN: the pipe already holds a wake-up. The read end is open for as long as
            // this end is (closed together in `close`), so the write cannot raise SIGPIPE.
            _ = write(fd, &byte, 1)
        }
    }

    /// Where a steering viewer's commands go (the engine's mailbox); until set they are dropped.
    public func forwardCommands(to handler: @escaping @Sendable (EngineCommand) -> Void) {
        commandHandler.withLock { $0 = handler }
    }

    /// Viewers connected, events dropped for laggards: for tests and the benchmark.
    public var statistics: ServeStatistics { stats.withLock { $0 } }

    /// Stops accepting, lets viewers take what is queued for up to `flushSeconds`,
    /// closes every connection and removes the socket file (if it is still ours).
    public func close(flushSeconds: Double = 1) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        inbox.withLock { $0.closeDeadline = ProcessInfo.processInfo.systemUptime + max(0, flushSeconds) }
        signalThread()
        ended.wait()
        wakeWrite.withLock { fd in
            if let open = fd { Glibc.close(open) }
            fd = nil
        }
        Glibc.close(wakeRead)
        var info = stat()
        if lstat(socketPath, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode {
            unlink(socketPath)
        }
    }

    /// Where `brecq attach DIR` looks for the socket of the run checkpointed in DIR.
    public static func socketPath(inDirectory directory: String) -> String {
        directory.hasSuffix("/") ? directory + UnixSocket.fileName : directory + "/" + UnixSocket.fileName
    }
}

public struct ServeStatistics: Sendable, Equatable {
    public var viewers = 0
    /// Connections accepted since the start (refused ones not counted).
    public var accepted = 0
    /// Iteration events not sent to some viewer because it lagged, summed over viewers.
    public var droppedIterationEvents = 0
    /// Events published so far.
    public var events = 0
}
