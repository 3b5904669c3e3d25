import Foundation
import Quantization
import Tensor

/// Bookmarks a teacher sets in a replay, saved beside the recording as
/// `RUN.jsonl.bookmarks`: `{"version":1,"positions":[120,4031]}`, a position
/// being the number of records played (as `ReplaySeek.position`). The file is
/// untrusted like the recording: capped in size, every position checked.
public enum ReplayBookmarks {
    public static let maximumBytes = 64 * 1024
    public static let maximumCount = 1000

    struct File: Codable { var version: Int; var positions: [Int] }

    /// `FILE.bookmarks` beside a recording.
    public static func path(forRecording path: String) -> String { path + ".bookmarks" }

    /// The saved positions, sorted and distinct; none when the file does not exist.
    public static func load(path: String) throws -> [Int] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do { data = try RegularFile.read(path, what: "a bookmarks file (JSON)", limit: maximumBytes, symbolicLinks: .followed) } catch {
            throw ReplayBookmarkError(description: error.description)
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw ReplayBookmarkError(description: "\(TerminalText.sanitized(path)): not a bookmarks file (expected {\"version\":1,\"positions\":[…]})")
        }
        guard file.version == 1 else { throw ReplayBookmarkError(description: "\(TerminalText.sanitized(path)): version \(file.version) is not 1") }
        guard file.positions.count <= maximumCount else {
            throw ReplayBookmarkError(description: "\(TerminalText.sanitized(path)): \(file.positions.count) bookmarks, more than \(maximumCount)")
        }
        // A position counts records, and a record takes more than one byte of the log.
        if let bad = file.positions.first(where: { $0 < 0 || $0 > EventLog.maximumBytes }) {
            throw ReplayBookmarkError(description: "\(TerminalText.sanitized(path)): position \(bad) is out of range")
        }
        return Array(Set(file.positions)).sorted()
    }

    public static func save(_ positions: [Int], path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(File(version: 1, positions: Array(Set(positions)).sorted()))
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }
}

public struct ReplayBookmarkError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
