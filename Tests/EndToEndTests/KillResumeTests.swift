import TestFixtures
import XCTest

/// SIGKILL at any point, including in the middle of a checkpoint write, loses
/// at most the unit in progress: resuming ends with the uninterrupted summary.
final class KillResumeTests: TinyModelTestCase {
    func testKilledRunsResumeToTheSameSummary() throws {
        let checkpoint = model.file("ck"), summary = model.file("summary.json")
        var killsMidWrite = 0, finished = false
        // Rounds alternate: kill as soon as a checkpoint's temporary file appears
        // (mid-write), then kill after the next checkpoint lands (progress).
        for round in 0..<24 where !finished {
            let resume = FileManager.default.fileExists(atPath: checkpoint + "/checkpoint.json")
            let before = unitsDone(checkpoint)
            var killed = false
            let result = try CommandRun.brecq(model.quantizeArguments(iterations: 150, extra: [
                "--checkpoint", checkpoint, "--summary", summary] + (resume ? ["--resume", checkpoint] : []))) { child, _ in
                while Self.isRunning(child.pid) {
                    let hit = round % 2 == 0 ? !self.temporaryFiles(checkpoint).isEmpty : self.unitsDone(checkpoint) > before
                    if hit {
                        child.send(SIGKILL)
                        killed = true
                        return
                    }
                    usleep(100)
                }
            }
            if killed {
                XCTAssertEqual(result.status, 128 + SIGKILL, result.stderr)
                if round % 2 == 0 && !temporaryFiles(checkpoint).isEmpty { killsMidWrite += 1 }
            } else {
                XCTAssertEqual(result.status, 0, "round \(round): \(result.stderr)")
                finished = true
            }
        }
        XCTAssertTrue(finished, "the run never finished")
        XCTAssertGreaterThan(killsMidWrite, 0, "no kill landed inside a checkpoint write")
        XCTAssertTrue(temporaryFiles(checkpoint).isEmpty, "a resumed run leaves no stale temporary files")

        let reference = model.file("reference.json")
        let run = try CommandRun.brecq(model.quantizeArguments(iterations: 150, extra: [
            "--checkpoint", model.file("ck-reference"), "--summary", reference]))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try InterruptResumeTests.timeless(summary), try InterruptResumeTests.timeless(reference))
    }

    /// Alive and not yet a zombie; unlike `poll`, does not reap the child, which `CommandRun` waits for.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    private func temporaryFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    private func unitsDone(_ directory: String) -> Int {
        guard let data = FileManager.default.contents(atPath: directory + "/checkpoint.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return -1 }
        return object["unitsDone"] as? Int ?? -1
    }
}
