import Foundation

/// Sensitivity tables on disk, one JSON file per fingerprint, so a second
/// search of the same model on the same data starts at once.
public struct SensitivityCache: Sendable, Equatable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// `$XDG_CACHE_HOME/brecq/sensitivity`, else `~/.cache/brecq/sensitivity`.
    public static var defaultDirectory: String {
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return home + "/brecq/sensitivity"
    }

    public func path(fingerprint: String) -> String { directory + "/" + fingerprint + ".json" }

    /// The stored table, or nil when there is none or it cannot be read (then it is measured again).
    public func load(fingerprint: String) -> SensitivityTable? {
        guard let data = FileManager.default.contents(atPath: path(fingerprint: fingerprint)),
              let table = try? JSONDecoder().decode(SensitivityTable.self, from: data),
              table.fingerprint == fingerprint else { return nil }
        return table
    }

    public func store(_ table: SensitivityTable) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONEncoder.sorted.encode(table), to: path(fingerprint: table.fingerprint))
    }
}
