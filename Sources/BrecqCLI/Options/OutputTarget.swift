import ArgumentParser
import Engine
import Foundation
import Tensor
import Quantization

/// Every path brecq will write is checked before the run starts, so that a
/// `--summary` naming a directory or a `--checkpoint` under /proc is said in
/// one line at once instead of after an hour of quantization. The check creates
/// and removes a probe file (O_CREAT|O_EXCL|O_NOFOLLOW: it can neither clobber
/// nor follow anything) where the file will be written.
enum OutputTarget {
    enum Kind {
        /// Written whole through a temporary file and a rename (summary, export, bits file):
        /// the target must be a regular file or absent, and its directory writable.
        case replacedFile
        /// Opened and appended to (the event log): an existing file or device must open for writing.
        case appendedFile
        /// A directory brecq creates if needed and fills (checkpoint).
        case directory
    }

    static func check(_ path: String, flag: String, _ kind: Kind) throws {
        if let problem = problem(path, kind) { throw ValidationError("\(flag) \(path): \(problem)") }
    }

    /// Refuses an output that is one of the run's input files: `--summary model.onnx`
    /// would replace the model with a summary at the end of the run.
    static func checkNotAnInput(_ path: String, flag: String, inputs: [(flag: String, path: String?)]) throws {
        var output = stat()
        guard stat(path, &output) == 0 else { return }
        for input in inputs {
            guard let inputPath = input.path else { continue }
            var info = stat()
            if stat(inputPath, &info) == 0, info.st_dev == output.st_dev, info.st_ino == output.st_ino {
                throw ValidationError("\(flag) \(path): is the same file as \(input.flag) \(inputPath); it would be overwritten")
            }
        }
    }

    /// A write that failed after all (the disk filled during the run): one line
    /// naming the flag and the path once.
    static func failure(flag: String, path: String, _ error: any Error) -> String {
        if let error = error as? AtomicFile.WriteError { return "\(flag) \(error)" }  // names the path itself
        return "\(flag) \(path): \(ErrorText.oneLine(error))"
    }

    /// What is wrong with writing `path`, or nil.
    static func problem(_ path: String, _ kind: Kind) -> String? {
        guard !path.isEmpty else { return "an empty path" }
        var info = stat()
        let exists = stat(path, &info) == 0
        let type = info.st_mode & S_IFMT
        switch kind {
        case .directory:
            if exists {
                guard type == S_IFDIR else { return "is not a directory" }
                return probe(in: path)
            }
            // Created with its parents: the nearest existing ancestor must take new entries.
            var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
            while ancestor.path != "/" && stat(ancestor.path, &info) != 0 { ancestor.deleteLastPathComponent() }
            return writableDirectory(ancestor.path)
        case .replacedFile, .appendedFile:
            if path.hasSuffix("/") { return "ends in '/'; expected a file path" }
            if exists {
                if type == S_IFDIR { return "is a directory; expected a file path" }
                if kind == .appendedFile && type != S_IFREG { return openForWriting(path) }
                if type != S_IFREG { return "is not a regular file" }
            }
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if kind == .appendedFile && exists { return openForWriting(path) }
            return writableDirectory(parent)
        }
    }

    private static func writableDirectory(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else { return "directory \(directory) does not exist" }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
        return probe(in: directory)
    }

    /// Creates and removes a uniquely named file in `directory`.
    private static func probe(in directory: String) -> String? {
        let name = ".brecq-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let probe = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot create files in \(directory) (\(String(cString: strerror(errno))))" }
        close(fd)
        unlink(probe)
        return nil
    }

    /// An existing log or device (/dev/null, /dev/full) is opened without truncating it.
    private static func openForWriting(_ path: String) -> String? {
        let fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return "cannot open for writing (\(String(cString: strerror(errno))))" }
        close(fd)
        return nil
    }
}
