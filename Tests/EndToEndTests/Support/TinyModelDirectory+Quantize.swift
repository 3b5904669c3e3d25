import Foundation
import TestFixtures

extension TinyModelDirectory {
    /// `brecq quantize` on this directory with few iterations (a few seconds in release).
    func quantizeArguments(iterations: Int = 200, extra: [String] = []) -> [String] {
        ["quantize", "--model", model, "--data", path, "--wbits", "4", "--abits", "4",
         "--iters", String(iterations), "--act-iters", "20", "--calib-size", "128", "--batch-size", "16",
         "--eval-images", "100", "--seed", "3"] + extra
    }

    /// Runs a short quantization that records its events; returns the log's path.
    func record(iterations: Int = 100) throws -> String {
        let events = file("recorded.jsonl")
        let result = try CommandRun.brecq(quantizeArguments(iterations: iterations, extra: [
            "--events", events, "--checkpoint", file("recording-ck")]))
        guard result.status == 0 else { throw TestFailure("recording run failed (\(result.status)):\n\(result.stderr)") }
        return events
    }
}

/// JSON Lines of an event log, each line an object.
func readEventLog(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").enumerated().map { index, line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(path):\(index + 1): not a JSON object")
        }
        return object
    }
}
