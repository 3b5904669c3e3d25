import Foundation
import TestFixtures
import XCTest

/// `brecq bench recon --model M --unit NAME` times the unit `brecq inspect`
/// names, at the batch asked for; an unknown name is refused on one line that
/// lists the valid names.
final class BenchReconUnitTests: TinyModelTestCase {
    private func unitNames() throws -> [String] {
        let result = try CommandRun.brecq(["inspect", "--json", "--model", model.model], timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (object?["units"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    func testTimesTheNamedUnitAtTheGivenBatch() throws {
        let names = try unitNames()
        let name = try XCTUnwrap(names.first { $0.hasPrefix("block") }, "the tiny model has a block: \(names)")
        let result = try CommandRun.brecq(["bench", "recon", "--model", model.model, "--unit", name, "--batch-size", "4",
                                           "--iterations", "2", "--warmup", "1", "--json"], timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["batch"] as? Int, 4)
        XCTAssertEqual(object["iterations"] as? Int, 2)
        let unit = try XCTUnwrap(object["unit"] as? [String: Any], result.stdout)
        XCTAssertEqual(unit["block"] as? String, name)
        XCTAssertGreaterThan(unit["ms_per_iter"] as? Double ?? 0, 0)
        XCTAssertNil(object["stage1_block1"], "--unit times only that unit")
    }

    func testUnknownUnitIsRefusedWithTheValidNames() throws {
        let names = try unitNames()
        let result = try CommandRun.brecq(["bench", "recon", "--model", model.model, "--unit", "block99"], timeout: 60)
        assertOneErrorLine(result, mentions: ["block99"])
        XCTAssertEqual(result.stderrLines.first.map(String.init),
                       "Error: no unit 'block99' in \(model.model); units: \(names.joined(separator: ", "))")
    }
}
