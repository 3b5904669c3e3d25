import Foundation
import Quantization
import Tensor

/// One directory per session: `checkpoint.json` (the state), `events.jsonl`
/// (the recording so far) and `checkpoint.sha256` (the digests the state may
/// have), each replaced atomically.
///
/// A save writes, in this order: the recording (a longer one still starts with
/// the bytes the previous checkpoint covers); the digest file listing the
/// committed checkpoint's digest and the new one; the checkpoint; the digest
/// file with the new digest alone. A kill between any two writes leaves either
/// the previous checkpoint or the new one matching a listed digest, and a
/// recording that starts with what it covers. Anything else — an edit, a
/// truncation, another session's file — matches no listed digest and is refused.
struct CheckpointStore {
    let directory: String
    var checkpointPath: String { directory + "/" + Self.checkpointName }
    var eventsPath: String { directory + "/" + Self.eventsName }
    var digestPath: String { directory + "/" + Self.digestName }

    static let checkpointName = "checkpoint.json"
    static let eventsName = "events.jsonl"
    static let digestName = "checkpoint.sha256"
    private static let checkpointWhat = "a checkpoint (JSON)"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Saving

    /// Fills in the checkpoint's recording fields from `events` and commits both.
    func save(_ checkpoint: Checkpoint, events: [EventRecord]) throws {
        try prepareDirectory()
        let recording = Data(try events.map { try EventLog.line(for: $0) + "\n" }.joined().utf8)
        var checkpoint = checkpoint
        checkpoint.eventCount = events.count
        checkpoint.eventsBytes = recording.count
        checkpoint.eventsSHA256 = SHA256.hex(of: recording)
        let body = try Self.encoder.encode(checkpoint)
        let digest = SHA256.hex(of: body)
        let committed = committedDigest()

        try AtomicFile.write(recording, to: eventsPath, mode: 0o600)
        try AtomicFile.write(Self.digestFile([committed, digest].compactMap { $0 }), to: digestPath, mode: 0o600)
        try AtomicFile.write(body, to: checkpointPath, mode: 0o600)
        try AtomicFile.write(Self.digestFile([digest]), to: digestPath, mode: 0o600)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// `sha256sum` lines, so `sha256sum -c checkpoint.sha256` checks a committed checkpoint by hand.
    private static func digestFile(_ digests: [String]) -> Data {
        Data(digests.map { "\($0)  \(checkpointName)\n" }.joined().utf8)
    }

    /// The digest of the checkpoint in place when it is one the digest file lists (nil: none to keep).
    private func committedDigest() -> String? {
        guard let body = try? read(checkpointPath, what: Self.checkpointWhat), let listed = try? listedDigests() else { return nil }
        let digest = SHA256.hex(of: body)
        return listed.contains(digest) ? digest : nil
    }

    /// Creates the directory (owner only) or accepts an existing one that is a
    /// real directory of this user: a link planted at its name would send the
    /// files elsewhere, and someone else's directory is not ours to write.
    func prepareDirectory() throws {
        if !RegularFile.exists(directory) {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                throw Failure(description: "\(directory): cannot create the checkpoint directory: \(String(cString: strerror(errno)))")
            }
        }
        try checkDirectory()
    }

    func checkDirectory() throws {
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw Failure(description: "\(directory): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            throw Failure(description: "\(directory): is a symbolic link; a checkpoint directory must be a directory (not followed)")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Failure(description: "\(directory): not a directory") }
        guard info.st_uid == geteuid() else {
            throw Failure(description: "\(directory): owned by another user (uid \(info.st_uid)); not used as a checkpoint directory")
        }
    }

    // MARK: Loading

    /// The committed checkpoint, its digest and version checked; its content is
    /// checked against the graph by `Checkpoint.validate`, its recording read by
    /// `coveredEvents(of:)` once the model is known to be the run's (so a foreign
    /// checkpoint is named as another model's, not as a bad recording).
    func loadCheckpoint() throws -> Checkpoint {
        guard RegularFile.exists(checkpointPath) else {
            throw Failure(description: "\(directory): no checkpoint here (expected \(Self.checkpointName))")
        }
        try checkDirectory()
        let body = try read(checkpointPath, what: Self.checkpointWhat)
        // The version first: an older brecq's checkpoint has no digest file, and saying so is clearer.
        struct Version: Decodable { var version: Int }
        if let version = try? JSONDecoder().decode(Version.self, from: body).version, version != Checkpoint.currentVersion {
            throw Failure(description: "\(checkpointPath): checkpoint version \(version), this brecq reads \(Checkpoint.currentVersion)")
        }
        guard RegularFile.exists(digestPath) else {
            throw Failure(description: "\(digestPath): missing, so \(Self.checkpointName) cannot be checked (incomplete checkpoint)")
        }
        guard try listedDigests().contains(SHA256.hex(of: body)) else {
            throw Failure(description: "\(checkpointPath): does not match its digest in \(Self.digestName) (edited, truncated or from another checkpoint)")
        }
        let checkpoint: Checkpoint
        do { checkpoint = try JSONDecoder().decode(Checkpoint.self, from: body) } catch {
            throw Failure(description: "\(checkpointPath): corrupt checkpoint (\(Self.describe(error)))")
        }
        return checkpoint
    }

    /// The first `eventCount` events of the recording, which must be exactly the
    /// bytes the checkpoint's digest covers. Removes what a killed writer left.
    func coveredEvents(of checkpoint: Checkpoint) throws -> [EventRecord] {
        removeStaleTemporaryFiles()
        let count: Int, bytes: Int
        do {
            count = try CheckedSize.count(checkpoint.eventCount, "\(checkpointPath): eventCount")
            bytes = try CheckedSize.count(checkpoint.eventsBytes, "\(checkpointPath): eventsBytes")
        } catch { throw Failure(description: "\(error)") }
        let recording = RegularFile.exists(eventsPath) ? try read(eventsPath, what: "the run's recording (JSON Lines)") : Data()
        guard recording.count >= bytes else {
            throw Failure(description: "\(eventsPath): \(recording.count) bytes, but the checkpoint covers \(bytes) (truncated recording)")
        }
        let covered = recording.prefix(bytes)
        guard SHA256.hex(of: covered) == checkpoint.eventsSHA256 else {
            throw Failure(description: "\(eventsPath): its first \(bytes) bytes do not match the checkpoint's eventsSHA256 (edited recording)")
        }
        let decoder = EventLog.makeDecoder()
        var events: [EventRecord] = []
        for (index, line) in covered.split(separator: UInt8(ascii: "\n")).enumerated() {
            do { events.append(try decoder.decode(EventRecord.self, from: Data(line))) } catch {
                throw Failure(description: "\(eventsPath):\(index + 1): \(EventLogError.describe(error))")
            }
        }
        guard events.count == count else {
            throw Failure(description: "\(checkpointPath): eventCount \(count), but its \(bytes) bytes of recording hold \(events.count) events")
        }
        return events
    }

    /// The digests `checkpoint.sha256` lists for `checkpoint.json`.
    private func listedDigests() throws -> [String] {
        let text = String(decoding: try read(digestPath, what: "the checkpoint's digests (sha256sum lines)"), as: UTF8.self)
        var digests: [String] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, fields[1] == Self.checkpointName, fields[0].count == 64,
                  fields[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw Failure(description: "\(digestPath):\(index + 1): expected '<64 hex digits>  \(Self.checkpointName)'")
            }
            digests.append(String(fields[0]))
        }
        return digests
    }

    /// A decoding error with the field it is about, e.g. `model.layers.1.rounding: …`.
    private static func describe(_ error: Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let field = path(context)
            return (field.isEmpty ? "" : "\(field): ") + TerminalText.sanitized(context.debugDescription)
        default:
            return TerminalText.sanitized("\(error)")
        }
    }

    /// A file of the checkpoint directory: never through a link planted there.
    private func read(_ path: String, what: String) throws -> Data {
        do { return try RegularFile.read(path, what: what, symbolicLinks: .refused) } catch { throw Failure(description: "\(error)") }
    }

    /// Temporary files of a writer that was killed mid-write; the files they were
    /// to replace are intact. Only regular files are removed: unlink never follows
    /// a link, and a directory planted under such a name is left alone.
    private func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where [Self.checkpointName, Self.eventsName, Self.digestName].contains(where: { AtomicFile.isTemporaryName(name, of: $0) }) {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            unlink(path)
        }
    }
}
