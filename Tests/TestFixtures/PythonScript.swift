import Foundation
import XCTest

/// The repository's Python scripts, run the one way every test target runs them:
/// `python3 scripts/NAME ARGS` from any working directory.
public enum PythonScript {
    /// The repository root, found from this file's path (tests run from anywhere).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `python3 SCRIPT ARGS` (SCRIPT relative to the repository root) and returns its stdout.
    /// A missing python3 or module (numpy, onnx, onnxruntime, pillow, torch) fails the test saying so:
    /// `make test` runs `scripts/setup.sh --test`, which installs them all, so their absence is a broken
    /// set-up, and a skip would let an independent reference silently not run. Any other failure throws
    /// with the script's stderr.
    public static func run(_ script: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent(script).path] + arguments
        // stderr goes to a file: read from a pipe only after exit, a chatty script would block on a full pipe.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-python-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
              let errorHandle = try? FileHandle(forWritingTo: errorFile) else { throw Failure(description: "cannot create \(errorFile.path)") }
        defer { try? errorHandle.close(); try? FileManager.default.removeItem(at: errorFile) }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = errorHandle
        do { try process.run() } catch { throw Failure(description: "python3 is not available (scripts/setup.sh --test installs it): \(error)") }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        let errorText = String(decoding: errors, as: UTF8.self)
        if let missing = errorText.range(of: "No module named '[^']+'", options: .regularExpression) {
            throw Failure(description: "\(script): \(errorText[missing]) (scripts/setup.sh --test installs it)")
        }
        guard process.terminationStatus == 0 else { throw Failure(description: "\(script): \(errorText)") }
        return output
    }
}
