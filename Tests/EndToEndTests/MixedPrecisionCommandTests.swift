import TestFixtures
import XCTest

/// `brecq search` writes a bits file under the budget and `brecq quantize --bits-config` reconstructs with it.
final class MixedPrecisionCommandTests: TinyModelTestCase {
    private let quickSearch = ["--sensitivity-images", "64", "--no-sensitivity-cache", "--population", "16", "--generations", "10"]

    func testSearchThenQuantizeWithTheChosenBits() throws {
        let bitsFile = model.file("bits.json"), summary = model.file("summary.json")
        let search = try CommandRun.brecq(["search", "--model", model.model, "--data", model.path, "--abits", "4",
                                           "--budget", "avgbits=3", "--output", bitsFile] + quickSearch)
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stderr.contains("gen 10/10"), "no generation lines:\n\(search.stderr)")
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bitsFile))) as? [String: Any])
        let layers = try XCTUnwrap(file["layers"] as? [String: [String: Int]])
        XCTAssertEqual(layers.count, 10, "every conv/linear layer")
        let info = try XCTUnwrap(file["search"] as? [String: Any])
        let cost = try XCTUnwrap(info["cost"] as? Double), limit = try XCTUnwrap(info["limit"] as? Double)
        XCTAssertLessThanOrEqual(cost, limit * (1 + 1e-9))
        XCTAssertLessThanOrEqual(try XCTUnwrap(info["average_bits"] as? Double), 3 + 1e-9)

        let run = try CommandRun.brecq(model.quantizeArguments(iterations: 20, extra: [
            "--bits-config", bitsFile, "--summary", summary, "--checkpoint", model.file("ck")]))
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        let used = try XCTUnwrap(json["bits"] as? [String: [String: Int]])
        for (layer, bits) in layers { XCTAssertEqual(used[layer]?["wbits"], bits["wbits"], layer) }
    }

    func testAnImpossibleBudgetIsOneClearError() throws {
        let result = try CommandRun.brecq(["search", "--model", model.model, "--data", model.path, "--abits", "4",
                                           "--budget", "size=0.1x4bit", "--output", model.file("bits.json")] + quickSearch)
        assertOneErrorLine(result, mentions: ["budget", "cheapest"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("bits.json")), "no bits file after a failure")
    }

    func testALatencyBudgetWithoutATableNamesTheFlag() throws {
        let result = try CommandRun.brecq(["search", "--model", model.model, "--data", model.path, "--abits", "4",
                                           "--budget", "latency=100", "--output", model.file("bits.json")] + quickSearch)
        assertOneErrorLine(result, mentions: ["latency", "--latency-table"])
    }

    func testLockingALayerThatIsNotSearchedIsOneClearError() throws {
        let result = try CommandRun.brecq(["search", "--model", model.model, "--data", model.path, "--abits", "4",
                                           "--budget", "avgbits=3", "--lock", "no/such/Conv=4", "--output", model.file("bits.json")] + quickSearch)
        assertOneErrorLine(result, mentions: ["no/such/Conv", "no searchable layer"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("bits.json")), "no bits file after a failure")
    }
}
