import Foundation
import Tensor

/// The files and labels of one split of an image-folder data set, in
/// torchvision's order.
///
/// Two layouts, under the `--data` directory:
/// - ImageFolder: `train/<class>/…` and `val/<class>/…`; classes are the
///   sub-directory names sorted by code point (Python's `sorted`), files are
///   found recursively and sorted by path, as `torchvision.datasets.ImageFolder`.
///   Both splits use `train/`'s classes so that a class missing from `val/`
///   cannot shift the labels.
/// - Lists: `train.txt` / `val.txt` of `path label` lines, paths relative to
///   the directory (blank lines and `#` comments skipped).
public struct ImageFolderIndex: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var label: Int
    }

    public var entries: [Entry]
    /// Class names by label (empty for list files).
    public var classes: [String]

    /// Whether `directory` holds an image-folder data set in either layout.
    public static func isImageFolder(_ directory: String) -> Bool {
        ["train", "val"].contains { isDirectory(join(directory, $0)) }
            || ["train.txt", "val.txt"].contains { FileManager.default.fileExists(atPath: join(directory, $0)) }
    }

    public init(directory: String, split: DataSplit) throws(DatasetError) {
        let name = split == .train ? "train" : "val"
        let list = Self.join(directory, name + ".txt")
        if FileManager.default.fileExists(atPath: list) {
            entries = try Self.readList(list, directory: directory)
            classes = []
            return
        }
        let root = Self.join(directory, name)
        guard Self.isDirectory(root) else {
            throw .missingFiles(directory: directory, expected: "\(name)/<class>/*.jpg|png or \(name).txt")
        }
        let trainRoot = Self.join(directory, "train")
        classes = Self.classNames(Self.isDirectory(trainRoot) ? trainRoot : root)
        guard !classes.isEmpty else { throw .missingFiles(directory: root, expected: "one sub-directory per class") }
        var entries = [Entry]()
        for name in Self.classNames(root) {
            guard let label = classes.firstIndex(of: name) else {
                throw .malformed(path: Self.join(root, name), reason: "class \(name) is not among train/'s classes")
            }
            for file in Self.imageFiles(under: Self.join(root, name)) { entries.append(Entry(path: file, label: label)) }
        }
        guard !entries.isEmpty else { throw .missingFiles(directory: root, expected: "JPEG or PNG files in the class directories") }
        self.entries = entries
    }

    private static func classNames(_ root: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { isDirectory(join(root, $0)) }.sorted(by: pythonOrder)
    }

    /// Image files under `directory`, recursively, ordered as torchvision's `sorted(os.walk)` then `sorted(fnames)`.
    private static func imageFiles(under directory: String) -> [String] {
        var files = [String]()
        var subdirectories = [String]()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted(by: pythonOrder)
        for name in names {
            let path = join(directory, name)
            if isDirectory(path) {
                subdirectories.append(path)
            } else if ImageFile.extensions.contains((name as NSString).pathExtension.lowercased()) {
                files.append(path)
            }
        }
        return files + subdirectories.flatMap { imageFiles(under: $0) }
    }

    private static func readList(_ list: String, directory: String) throws(DatasetError) -> [Entry] {
        let data: Data
        do { data = try RegularFile.read(list, what: "a list of `path label` lines", symbolicLinks: .followed) } catch { throw DatasetError(error) }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformed(path: list, reason: "not UTF-8 text") }
        var entries = [Entry]()
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // The label is the last field, so paths may hold spaces.
            guard let space = line.lastIndex(where: { $0 == " " || $0 == "\t" }),
                  let label = Int(line[line.index(after: space)...]), label >= 0 else {
                throw .malformed(path: list, reason: "line \(number + 1) is not `path label` with a non-negative integer label")
            }
            let relative = line[..<space].trimmingCharacters(in: .whitespaces)
            guard !relative.hasPrefix("/") else {
                throw .malformed(path: list, reason: "line \(number + 1): paths must be relative to \(directory)")
            }
            entries.append(Entry(path: join(directory, relative), label: label))
        }
        guard !entries.isEmpty else { throw .missingFiles(directory: directory, expected: "at least one `path label` line in \(list)") }
        return entries
    }

    /// Python compares strings by code point; Swift's `<` uses Unicode canonical order.
    private static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func join(_ directory: String, _ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
}
