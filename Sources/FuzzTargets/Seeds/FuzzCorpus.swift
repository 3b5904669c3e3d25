import Foundation

/// Where the committed corpora are: `Fuzz/corpus/<target>/` (seeds, from
/// scripts/make_fuzz_corpus.py) and `Fuzz/regressions/<target>/` (one
/// minimized input per crash class found; each must parse or throw).
public enum FuzzCorpus {
    /// The repository's `Fuzz/` directory, found from this source file.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    public static func seedFiles(_ target: FuzzTarget) -> [URL] { files(in: root.appendingPathComponent("corpus/\(target.rawValue)")) }
    public static func regressionFiles(_ target: FuzzTarget) -> [URL] { files(in: root.appendingPathComponent("regressions/\(target.rawValue)")) }
    /// Regression inputs too large to commit (`Fuzz/generated/`, made by the script; empty when it has not run).
    public static func generatedFiles(_ target: FuzzTarget) -> [URL] { files(in: root.appendingPathComponent("generated/\(target.rawValue)")) }

    /// The built-in seeds, the committed seed files and (unless told otherwise) the regressions: what the driver mutates.
    public static func seeds(_ target: FuzzTarget, regressions: Bool = true) -> [Data] {
        let files = (seedFiles(target) + (regressions ? regressionFiles(target) : [])).compactMap { try? Data(contentsOf: $0) }
        let builtin = BuiltinSeeds.seeds(target).filter { !files.contains($0) }  // Fuzz/corpus holds copies of them
        return (builtin + files).filter { $0.count <= Mutator.maxInputSize }
    }

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
    }
}
