import ArgumentParser
import Quantization
import XCTest
@testable import BrecqCLI

/// `brecq search`'s flags and the SearchOptions group it shares with
/// `quantize --mixed` and the dashboard.
final class SearchFlagTests: CLITestCase {
    var base: [String] { ["search", "--model", model, "--data", data, "--output", path("bits.json")] }

    func testDefaults() {
        AssertParse(base + ["--budget", "avgbits=3"], as: Search.self) { s in
            XCTAssertEqual(s.abits, 4)
            XCTAssertEqual(s.seed, 0)
            XCTAssertFalse(s.random)
            XCTAssertFalse(s.exhaustive)
            let settings = try s.search.settings()
            XCTAssertEqual(settings.budget, "avgbits=3")
            XCTAssertEqual(settings.candidateBits, [2, 4, 8])
            XCTAssertEqual(settings.sensitivityImages, 256)
            XCTAssertEqual(settings.weighting, .fisher)
            XCTAssertEqual([settings.population, settings.generations, settings.parents, settings.elites], [50, 100, 10, 5])
            XCTAssertEqual(settings.mutationProbability, 0.1)
            XCTAssertEqual(settings.cacheDirectory, SensitivityCache.defaultDirectory)
            XCTAssertNil(settings.latencyTable)
            XCTAssertEqual(try s.search.locks(), [:])
        }
    }

    func testEachFlagSetsItsSetting() throws {
        let cache = try directory("sens-cache")
        AssertParse(base + ["--budget", "size=0.75x4bit", "--abits", "32", "--seed", "7", "--candidate-bits", "3, 5",
                            "--sensitivity-images", "8", "--sensitivity-weighting", "mse", "--population", "6",
                            "--generations", "0", "--mutation", "1", "--parents", "6", "--elites", "5",
                            "--sensitivity-cache", cache, "--lock", "a/Conv=8", "--lock", "b=2"], as: Search.self) { s in
            XCTAssertEqual(s.abits, 32)
            XCTAssertEqual(s.seed, 7)
            let settings = try s.search.settings()
            XCTAssertEqual(settings.budget, "size=0.75x4bit")
            XCTAssertEqual(settings.candidateBits, [3, 5], "spaces around the commas are allowed")
            XCTAssertEqual(settings.sensitivityImages, 8)
            XCTAssertEqual(settings.weighting, .mse)
            XCTAssertEqual([settings.population, settings.generations, settings.parents, settings.elites], [6, 0, 6, 5])
            XCTAssertEqual(settings.mutationProbability, 1)
            XCTAssertEqual(settings.cacheDirectory, cache)
            XCTAssertEqual(try s.search.locks(), ["a/Conv": 8, "b": 2], "the last = splits layer and bits")
        }
        AssertParse(base + ["--budget", "avgbits=3", "--no-sensitivity-cache"], as: Search.self) {
            XCTAssertNil(try $0.search.settings().cacheDirectory, "nothing is read from or stored in a cache")
        }
    }

    func testABareBudgetTakesItsMeasureFromMeasure() {
        AssertParse(base + ["--budget", "1.2e9", "--measure", "bops"], as: Search.self) {
            XCTAssertEqual(try $0.search.settings().budget, "bops=1.2e9")
        }
        AssertParse(base + ["--budget", "0.5x"], as: Search.self) {
            XCTAssertEqual(try $0.search.settings().budget, "size=0.5x", "size without --measure")
        }
        AssertParseError(base + ["--budget", "size=0.5x4bit", "--measure", "bops"],
                         "--budget size=0.5x4bit is a size budget, but --measure says bops")
        AssertParseError(base, "--budget is required, e.g. --budget avgbits=3 or --budget size=0.75x4bit")
    }

    func testRandomAndExhaustiveExcludeEachOther() {
        AssertParseError(base + ["--budget", "avgbits=3", "--random", "--exhaustive"], "--random and --exhaustive exclude each other")
        AssertParse(base + ["--budget", "avgbits=3", "--exhaustive"], as: Search.self) { XCTAssertTrue($0.exhaustive) }
    }

    func testRanges() {
        let b = base + ["--budget", "avgbits=3"]
        AssertParseError(b + ["--abits", "9"], "--abits must be in 2…8 or 32, got 9")
        AssertRange(b, "--sensitivity-images", 1...1_000_000, as: Search.self) { XCTAssertEqual(try $0.search.settings().sensitivityImages, $1) }
        // The fewest individuals can have one parent and one elite at most.
        AssertRange(b + ["--parents", "1", "--elites", "1"], "--population", 2...100_000, as: Search.self) {
            XCTAssertEqual(try $0.search.settings().population, $1)
        }
        AssertRange(b, "--generations", 0...100_000, as: Search.self) { XCTAssertEqual(try $0.search.settings().generations, $1) }
        AssertParseError(b + ["--mutation", "1.5"], "--mutation must be at most 1, got 1.5")
        // Parents and elites are bounded by the population given.
        AssertRange(b, "--parents", 1...50, as: Search.self) { XCTAssertEqual(try $0.search.settings().parents, $1) }
        AssertRange(b + ["--population", "4", "--parents", "2"], "--elites", 0...3, as: Search.self) {
            XCTAssertEqual(try $0.search.settings().elites, $1)
        }
        AssertParseError(b + ["--candidate-bits", "1,4"], "--candidate-bits must be at least 2, got 1")
        AssertParseError(b + ["--candidate-bits", "4,9"], "--candidate-bits must be at most 8, got 9")
        AssertParseError(b + ["--candidate-bits", "2,x"], "--candidate-bits: expected e.g. 2,4,8")
        AssertParseError(b + ["--lock", "conv=9"], "--lock conv must be at most 8, got 9")
        AssertParseError(b + ["--lock", "conv"], "--lock conv: expected LAYER=BITS")
        AssertParseError(b + ["--lock", "=4"], "--lock =4: expected LAYER=BITS")
        AssertParseError(base + ["--budget", "avgbits=0"], "--budget: budget 'avgbits=0': '0' is not a positive number")
        AssertParseError(base + ["--budget", "avgbits=9"], "--budget: budget 'avgbits=9': average bits must be in 2…8")
    }

    func testPaths() throws {
        AssertParseError(["search", "--model", model, "--data", data, "--budget", "avgbits=3", "--output", model],
                         "--output \(model): is the same file as --model \(model); it would be overwritten")
        let missing = path("none/bits.json")
        AssertParseError(["search", "--model", model, "--data", data, "--budget", "avgbits=3", "--output", missing],
                         "--output \(missing): directory \(path("none")) does not exist")
        AssertParseError(["search", "--model", model, "--data", data, "--budget", "avgbits=3"], "Missing expected argument '--output <output>'")
        let table = try file("latency.json", "not json")
        XCTAssertTrue(Self.message(base + ["--budget", "latency=300", "--latency-table", table]).hasPrefix("--latency-table "),
                      "a latency table is read before the sensitivities are measured")
    }

    static func message(_ arguments: [String]) -> String {
        do { _ = try Brecq.parseAsRoot(arguments); return "" } catch { return Brecq.message(for: error) }
    }
}
