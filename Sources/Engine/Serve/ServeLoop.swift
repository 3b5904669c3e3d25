import Foundation
import Tensor

/// The event server's thread: one `poll` over the wake-up pipe, the listening
/// socket and every viewer. Each record is encoded once into `lines`; a viewer
/// is a cursor into them plus one chunk being written, so a stalled viewer
/// holds no more memory than a fast one. A viewer more than
/// `iterationCapacity` iteration events behind (stalled, or new to a long run)
/// gets every other one of them (every fourth, …) and always the newest, as
/// `EventBuffer` thins for the local dashboard; unit-level events always go out.
final class ServeLoop {
    /// Most viewers at once; more are accepted and closed at once.
    static let maximumViewers = 64
    /// Bytes queued for a viewer per refill.
    static let chunkBytes = 64 * 1024
    /// Control replies waiting for a viewer that does not read; more end its connection.
    static let maximumReplies = 16

    final class Viewer {
        let id: Int
        let fd: Int32
        let uid: uid_t
        let pid: pid_t
        var cursor = 0
        var out: [UInt8] = []
        var sent = 0
        var input = Data()
        var replies: [Data] = []
        init(id: Int, fd: Int32, uid: uid_t, pid: pid_t) { self.id = id; self.fd = fd; self.uid = uid; self.pid = pid }
    }

    private let listenFD: Int32
    private let wakeFD: Int32
    private let access: EventServer.Access
    private let iterationCapacity: Int
    private let commands: @Sendable (EngineCommand) -> Void

    private var lines: [Data] = []
    private var thinnable: [Bool] = []
    /// `thinnableBefore[i]`: thinnable lines among `lines[0..<i]`.
    private var thinnableBefore: [Int] = [0]
    private var viewers: [Viewer] = []
    private var controller: Int?
    private var nextID = 0
    private var statistics = ServeStatistics()
    private var lastTime = 0.0

    init(listenFD: Int32, wakeFD: Int32, access: EventServer.Access, iterationCapacity: Int,
         commands: @escaping @Sendable (EngineCommand) -> Void) {
        self.listenFD = listenFD
        self.wakeFD = wakeFD
        self.access = access
        self.iterationCapacity = max(2, iterationCapacity)
        self.commands = commands
    }

    func run(takeInbox: () -> ([EventRecord], Double?), report: (ServeStatistics) -> Void) {
        var closeDeadline: Double?
        defer {
            for viewer in viewers { close(viewer.fd) }
            viewers.removeAll()
            close(listenFD)
            // The wake pipe's read end stays open until `EventServer.close` has closed the
            // write end: an engine event published meanwhile must not meet a pipe with no reader (SIGPIPE).
            statistics.viewers = 0
            report(statistics)
        }
        while true {
            var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: closeDeadline == nil ? listenFD : -1, events: Int16(POLLIN), revents: 0)]
            for viewer in viewers {
                fds.append(pollfd(fd: viewer.fd, events: Int16(POLLIN) | (hasOutput(viewer) ? Int16(POLLOUT) : 0), revents: 0))
            }
            let timeout: Int32 = closeDeadline == nil ? 1000 : 20
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno != EINTR { break }

            if fds[0].revents & Int16(POLLIN) != 0 {
                var scratch = [UInt8](repeating: 0, count: 256)
                while read(wakeFD, &scratch, scratch.count) > 0 {}
            }
            let (records, deadline) = takeInbox()
            for record in records { append(record) }
            // Connections already made are served even when closing starts now (closing the
            // listening socket would reset them): they get the history and the end.
            if closeDeadline == nil, fds[1].revents & Int16(POLLIN) != 0 || deadline != nil { acceptAll() }
            if closeDeadline == nil, let deadline { closeDeadline = deadline }

            // Viewers polled this round; those accepted just now are served next round.
            var gone: Set<Int> = []
            for (index, viewer) in viewers.enumerated() where index + 2 < fds.count {
                let events = fds[index + 2].revents
                if events & Int16(POLLNVAL) != 0 { gone.insert(viewer.id); continue }
                if events & Int16(POLLIN | POLLHUP | POLLERR) != 0, !readRequests(viewer) { gone.insert(viewer.id); continue }
            }
            for viewer in viewers where !gone.contains(viewer.id) && hasOutput(viewer) {
                if !flush(viewer) { gone.insert(viewer.id) }
            }
            if !gone.isEmpty { drop(gone) }
            statistics.viewers = viewers.count
            report(statistics)

            if let closeDeadline {
                let drained = viewers.allSatisfy { !hasOutput($0) }
                if drained || ProcessInfo.processInfo.systemUptime >= closeDeadline { return }
            }
        }
    }

    private func append(_ record: EventRecord) {
        statistics.events += 1
        // Viewers refuse a time that goes back; a resumed run publishes its restored
        // history after its first state event, so times are kept non-decreasing here.
        var record = record
        record.time = max(record.time, lastTime)
        lastTime = record.time
        // A record that does not encode (none should) is left out rather than sent half.
        guard let text = try? EventLog.line(for: record) else { return }
        lines.append(Data((text + "\n").utf8))
        let isThinnable: Bool
        if case .iteration(let stats) = record.event { isThinnable = stats.hardLoss == nil } else { isThinnable = false }
        thinnable.append(isThinnable)
        thinnableBefore.append(thinnableBefore[thinnableBefore.count - 1] + (isThinnable ? 1 : 0))
    }

    private func acceptAll() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            UnixSocket.makeNonBlocking(fd)
            guard let peer = UnixSocket.peerCredentials(fd), viewers.count < Self.maximumViewers,
                  access == .group || peer.uid == geteuid() else {
                // Not the owner on an owner-only socket (reachable only while the file had the umask's mode), or too many.
                close(fd)
                continue
            }
            viewers.append(Viewer(id: nextID, fd: fd, uid: peer.uid, pid: peer.pid))
            nextID += 1
            statistics.accepted += 1
        }
    }

    private func hasOutput(_ viewer: Viewer) -> Bool {
        viewer.sent < viewer.out.count || viewer.cursor < lines.count || !viewer.replies.isEmpty
    }

    /// Writes what the viewer's socket takes; false when the connection is gone.
    private func flush(_ viewer: Viewer) -> Bool {
        while true {
            if viewer.sent >= viewer.out.count {
                refill(viewer)
                if viewer.out.isEmpty { return true }
            }
            let n = viewer.out.withUnsafeBytes { bytes in
                send(viewer.fd, bytes.baseAddress! + viewer.sent, bytes.count - viewer.sent, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if n > 0 { viewer.sent += n; continue }
            if n < 0 && errno == EINTR { continue }
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }

    /// The next chunk: control replies first, then lines from the cursor, thinned when the viewer lags.
    private func refill(_ viewer: Viewer) {
        viewer.out.removeAll(keepingCapacity: true)
        viewer.sent = 0
        for reply in viewer.replies { viewer.out.append(contentsOf: reply) }
        viewer.replies.removeAll()
        let total = thinnableBefore[lines.count]
        let behind = total - thinnableBefore[viewer.cursor]
        var stride = 1
        while behind / stride > iterationCapacity { stride *= 2 }
        while viewer.cursor < lines.count && viewer.out.count < Self.chunkBytes {
            let i = viewer.cursor
            viewer.cursor += 1
            // Counted from the newest, so the newest iteration event is always kept.
            if stride > 1, thinnable[i], (total - thinnableBefore[i] - 1) % stride != 0 {
                statistics.droppedIterationEvents += 1
                continue
            }
            viewer.out.append(contentsOf: lines[i])
        }
    }

    /// Reads what the viewer sent; false at end of file, on an error or on a hostile line.
    private func readRequests(_ viewer: Viewer) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(viewer.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n == 0 { return false }
            if n < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK
            }
            viewer.input.append(contentsOf: buffer[0..<n])
            while let newline = viewer.input.firstIndex(of: 0x0A) {
                let line = viewer.input[viewer.input.startIndex..<newline]
                viewer.input = Data(viewer.input[(newline + 1)...])
                if !line.isEmpty { handle(ViewerRequest.parse(Data(line)), from: viewer) }
            }
            if viewer.input.count > ViewerRequest.maximumLineBytes || viewer.replies.count > Self.maximumReplies { return false }
        }
    }

    private func handle(_ request: Result<ViewerRequest, ViewerRequestError>, from viewer: Viewer) {
        switch request {
        case .success(.control):
            if viewer.uid != geteuid() {
                viewer.replies.append(ControlReply.refused("only the run's owner (uid \(geteuid())) may steer; you are uid \(viewer.uid)").line())
            } else if let controller, controller != viewer.id,
                      let holder = viewers.first(where: { $0.id == controller }) {
                viewer.replies.append(ControlReply.refused("another attached dashboard (pid \(holder.pid)) steers this run").line())
            } else {
                controller = viewer.id
                viewer.replies.append(ControlReply.granted().line())
            }
        case .success(.command(let command)):
            if controller == viewer.id, viewer.uid == geteuid() {
                commands(command)
            } else {
                viewer.replies.append(ControlReply.refused("this dashboard does not steer the run (attach with --control)").line())
            }
        case .failure(let error):
            viewer.replies.append(ControlReply.refused(TerminalText.sanitized(error.description)).line())
        }
    }

    private func drop(_ ids: Set<Int>) {
        viewers.removeAll { viewer in
            guard ids.contains(viewer.id) else { return false }
            close(viewer.fd)
            if controller == viewer.id { controller = nil }
            return true
        }
    }
}
