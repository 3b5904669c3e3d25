import Foundation
import Synchronization
import Tensor

/// Reads a recording that is still being written, like `tail -F`: each `poll`
/// returns the complete lines appended since the last one. It follows the
/// path, not the open file: the engine's checkpoint writer replaces
/// `events.jsonl` by rename, and a sync tool may truncate and rewrite, so a
/// new inode (or a shorter file) is re-read from its start with the lines
/// already handed out skipped. A last line without its newline is still being
/// written and waits for it. Bad lines are skipped and counted, as `Recording` does.
public struct FollowReader: Sendable {
    public let path: String
    private var identity: (device: UInt64, inode: UInt64)?
    /// Bytes of the current file consumed (through the last newline).
    private var offset = 0
    /// Complete lines of the current file seen, and lines handed out over all files.
    private var linesInFile = 0
    private var linesSeen = 0
    /// Lines of a replacement file that were already handed out from the old one.
    private var linesToSkip = 0
    private var decoder = RecordingLineDecoder()
    public private(set) var skippedLines = 0
    public private(set) var finished = false

    /// Longest line waited for; a longer one without a newline is not an event.
    public static let maximumLineBytes = 1 << 20

    public init(path: String) { self.path = path }

    public struct Poll: Sendable {
        public var records: [EventRecord] = []
        /// The file changed size or identity (for the idle clock).
        public var grew = false
        public var notices: [String] = []
        /// Following cannot go on (the reason is in `notices`).
        public var failed = false
    }

    public mutating func poll() -> Poll {
        var result = Poll()
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        // Missing for a moment while a writer replaces it: try again next poll.
        guard fd >= 0 else { return result }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return result }
        guard info.st_mode & S_IFMT == S_IFREG else {
            result.notices.append("\(TerminalText.sanitized(path)) is not a regular file; following stopped")
            result.failed = true
            return result
        }
        let id = (UInt64(info.st_dev), UInt64(info.st_ino))
        let size = Int(info.st_size)
        if let known = identity, known != id || size < offset {
            // Replaced or truncated: the new contents start again from the first line.
            result.notices.append(known != id ? "\(TerminalText.sanitized(path)) was replaced; following the new file"
                                              : "\(TerminalText.sanitized(path)) was truncated; reading it again")
            offset = 0
            linesInFile = 0
            linesToSkip = linesSeen
            result.grew = true
        }
        identity = id
        guard size > offset else { return result }
        guard size <= EventLog.maximumBytes else {
            result.notices.append("\(TerminalText.sanitized(path)) is larger than \(EventLog.maximumBytes) bytes; following stopped")
            result.failed = true
            return result
        }
        let chunk = readChunk(fd, from: offset, upTo: min(size, offset + (8 << 20)))
        guard let lastNewline = chunk.lastIndex(of: 0x0A) else {
            if chunk.count > Self.maximumLineBytes {
                // Not an event, and waiting for its end would mean holding an unbounded line.
                offset += chunk.count
                skip(linesInFile + 1, "longer than \(Self.maximumLineBytes) bytes without a newline", &result)
            }
            return result
        }
        let complete = chunk[chunk.startIndex...lastNewline]
        offset += complete.count
        result.grew = true
        let base = linesInFile
        for line in EventLog.lines(of: Data(complete)) {
            let number = base + line.number
            // Lines a replaced file repeats were handed out from the old one.
            if number <= linesToSkip { continue }
            switch decoder.decode(line.bytes) {
            case .success(let record):
                if case .finished = record.event { finished = true }
                result.records.append(record)
            case .failure(let error):
                skip(number, error.reason, &result)
            }
        }
        linesInFile += complete.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        linesSeen = max(linesSeen, linesInFile)
        return result
    }

    private mutating func skip(_ line: Int, _ reason: String, _ result: inout Poll) {
        skippedLines += 1
        // The first few are worth a line each; after that a count would flood the log.
        if skippedLines <= 3 {
            result.notices.append("skipped line \(line) of \(TerminalText.sanitized(path)): \(reason)")
        } else if skippedLines == 4 {
            result.notices.append("skipping more unreadable lines of \(TerminalText.sanitized(path)) without saying so")
        }
    }

    private func readChunk(_ fd: Int32, from start: Int, upTo end: Int) -> Data {
        var data = Data(count: end - start)
        var done = 0
        while done < data.count {
            let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(start + done)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return data.prefix(done)
    }
}

/// Polls a followed recording on its own thread and feeds a `ReplaySession`:
/// new records are appended, notices posted, and the follow state kept
/// (the idle clock, the end at the `finished` event). The UI never waits on the file.
public final class RecordingFollower: Sendable {
    private let session: ReplaySession
    private let interval: Double
    private let stopped = Atomic<Bool>(false)
    private let reader: Mutex<FollowReader>
    private let clock: @Sendable () -> Double

    public init(path: String, session: ReplaySession, interval: Double = 0.25,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.session = session
        self.interval = interval
        self.reader = Mutex(FollowReader(path: path))
        self.clock = clock
    }

    /// Reads what the file holds now (before the first frame, so a replay starts with it).
    public func pollOnce() -> Bool {
        let poll = reader.withLock { $0.poll() }
        session.append(poll.records)
        for notice in poll.notices { session.post(Message(level: .warning, text: notice)) }
        if poll.failed { session.setFollowState(.stopped); return false }
        if reader.withLock({ $0.finished }) { session.setFollowState(.ended); return false }
        return true
    }

    public func start() {
        let thread = Thread { [self] in
            var lastGrowth = clock()
            while !stopped.load(ordering: .relaxed) {
                let poll = reader.withLock { $0.poll() }
                let now = clock()
                if poll.grew { lastGrowth = now }
                session.append(poll.records)
                for notice in poll.notices { session.post(Message(level: .warning, text: notice)) }
                if poll.failed { session.setFollowState(.stopped); return }
                if reader.withLock({ $0.finished }) { session.setFollowState(.ended); return }
                session.setFollowState(.following(idleSeconds: Int(now - lastGrowth)))
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "brecq.follow"
        thread.start()
    }

    public func stop() { stopped.store(true, ordering: .relaxed) }
}
