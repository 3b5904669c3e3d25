import Foundation
import Tensor

/// Sensitivity tables on disk, one JSON file per fingerprint, so a second
/// search of the same model on the same data starts at once. A file is read
/// as data from anyone: never through a link, and checked against the model
/// before use.
public struct SensitivityCache: Sendable, Equatable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// A stored table that is not the measurement it claims to be; names the file and the field.
    public struct InvalidEntry: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason) (delete the file to measure again)" }
    }

    /// `$XDG_CACHE_HOME/brecq/sensitivity`, else `~/.cache/brecq/sensitivity`.
    public static var defaultDirectory: String {
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return home + "/brecq/sensitivity"
    }

    public func path(fingerprint: String) -> String { directory + "/" + fingerprint + ".json" }

    /// The stored table for `fingerprint`, or nil when there is none. A file that
    /// is there but unreadable, or not a table of `space` measured with
    /// `settings` on `images` images, is refused rather than trusted.
    public func load(fingerprint: String, space: SearchSpace, settings: SensitivityAnalysis.Settings,
                     images: Int) throws(InvalidEntry) -> SensitivityTable? {
        let path = path(fingerprint: fingerprint)
        guard RegularFile.exists(path) else { return nil }
        let table: SensitivityTable
        let data: Data
        do { data = try RegularFile.read(path, what: "a sensitivity table (JSON)", symbolicLinks: .refused) } catch {
            throw InvalidEntry(path: path, reason: error.reason)
        }
        do {
            table = try JSONDecoder().decode(SensitivityTable.self, from: data)
        } catch {
            throw InvalidEntry(path: path, reason: "not a sensitivity table (\(error))")
        }
        guard table.fingerprint == fingerprint else {
            throw InvalidEntry(path: path, reason: "fingerprint: \(TerminalText.sanitized(table.fingerprint)), expected \(fingerprint) as its name says")
        }
        do { try table.validate(space: space, settings: settings, images: images) } catch {
            throw InvalidEntry(path: path, reason: "\(error)")
        }
        return table
    }

    public func store(_ table: SensitivityTable) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONEncoder.sorted.encode(table), to: path(fingerprint: table.fingerprint))
    }
}
