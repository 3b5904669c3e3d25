import Foundation
import XCTest
import Quantization

/// `--bits-config` and `--latency-table` files are user input: every way they
/// can be wrong is one line naming the file and the field.
final class HostileConfigurationFileTests: XCTestCase {
    private func bitsError(_ json: String) -> String? {
        do { _ = try BitsConfiguration.decode(Data(json.utf8), source: "bits.json"); return nil } catch { return error.description }
    }

    private func latencyError(_ json: String) -> String? {
        do { _ = try LatencyTable.decode(Data(json.utf8), source: "lat.json"); return nil } catch { return error.description }
    }

    func testBitsFileNumbersOutOfRangeOrNotIntegers() {
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": -4, "abits": 4}}}"#), "bits.json: layers.c.wbits: must be in 2…8, got -4")
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": 4, "abits": 9223372036854775807}}}"#),
                       "bits.json: layers.c.abits: 9.223372036854776e+18 is not an integer in range")
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": 1e300, "abits": 4}}}"#), "bits.json: layers.c.wbits: 1e+300 is not an integer in range")
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": 2.5, "abits": 4}}}"#), "bits.json: layers.c.wbits: 2.5 is not an integer in range")
    }

    func testBitsFileWrongTypesAndShapes() {
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": "4", "abits": 4}}}"#), "bits.json: layers.c.wbits: expected a number")
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": 4}}}"#), "bits.json: layers.c.abits: missing")
        XCTAssertEqual(bitsError(#"{"layers": [1, 2]}"#), "bits.json: layers: expected an object")
        XCTAssertEqual(bitsError(#"{"layers": {"c": {"wbits": NaN, "abits": 4}}}"#),
                       #"bits.json: not valid JSON (expected {"layers": {"name": {"wbits": 4, "abits": 4}}})"#)
        XCTAssertEqual(bitsError(#"{"layers": {"": {"wbits": 4, "abits": 4}}}"#), "bits.json: layers: a layer with an empty name")
    }

    func testBitsFileDuplicateLayersAreRefusedEvenWhenSpelledWithEscapes() {
        XCTAssertEqual(bitsError(#"{"layers": {"conv": {"wbits": 2, "abits": 4}, "conv": {"wbits": 8, "abits": 4}}}"#),
                       "bits.json: layers.conv: listed twice")
        XCTAssertEqual(bitsError(#"{"layers": {"conv": {"wbits": 2, "abits": 4}, "\u0063onv": {"wbits": 8, "abits": 4}}}"#),
                       "bits.json: layers.conv: listed twice")
    }

    func testBitsFileNamesWithControlCharactersAreEscaped() {
        XCTAssertEqual(bitsError("{\"layers\": {\"a\\u001b]0;x\": {\"wbits\": 1, \"abits\": 4}}}"), "bits.json: layers.a\\e]0;x.wbits: must be in 2…8, got 1")
    }

    func testBitsFileTooLargeOrNotAFileIsRefusedBeforeReading() throws {
        let dir = NSTemporaryDirectory() + "bits-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try BitsConfiguration.load(path: dir)) { error in
            XCTAssertEqual("\(error)", "\(dir): is a directory; expected a bits file (JSON)")
        }
        XCTAssertThrowsError(try BitsConfiguration.load(path: "/dev/zero")) { error in
            XCTAssertEqual("\(error)", "/dev/zero: is not a regular file; expected a bits file (JSON)")
        }
        let big = dir + "/big.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: UInt64(BitsConfiguration.maximumFileBytes + 1))  // sparse: no disk used
        try handle.close()
        XCTAssertThrowsError(try BitsConfiguration.load(path: big)) { error in
            XCTAssertEqual("\(error)", "\(big): 16777217 bytes is larger than the limit of 16777216 bytes for a bits file (JSON)")
        }
    }

    func testLatencyTableHostileValues() {
        XCTAssertEqual(latencyError(#"{"unit": "us", "layers": {"c": {"4": -1}}}"#), "lat.json: layers.c.4: must be a latency in 0…1000000000 µs, got -1")
        XCTAssertEqual(latencyError(#"{"unit": "us", "layers": {"c": {"4": 1e300}}}"#), "lat.json: layers.c.4: must be a latency in 0…1000000000 µs, got 1e+300")
        XCTAssertEqual(latencyError(#"{"unit": "us", "layers": {"c": {"four": 1}}}"#),
                       #"lat.json: layers.c.four: the keys of a layer are weight bit widths such as "4""#)
        XCTAssertEqual(latencyError(#"{"unit": "us", "layers": {"c": {"04": 1}}}"#),
                       #"lat.json: layers.c.04: the keys of a layer are weight bit widths such as "4""#)
        XCTAssertEqual(latencyError(#"{"unit": "us", "layers": {"c": {"4": "fast"}}}"#), "lat.json: layers.c.4: expected a number")
        XCTAssertEqual(latencyError(#"{"unit": "us", "activation_bits": -3, "layers": {}}"#), "lat.json: activation_bits: must be in 2…8 or 32, got -3")
        XCTAssertEqual(latencyError(#"{"unit": "ms", "layers": {}}"#), #"lat.json: unit: must be "us" (microseconds), got "ms""#)
        XCTAssertEqual(latencyError(#"{"unit": "us"}"#), "lat.json: layers: missing")
    }

    func testLatencyTableDuplicatesAtEitherLevel() {
        XCTAssertEqual(latencyError(#"{"layers": {"c": {"4": 1}, "c": {"4": 2}}}"#), "lat.json: layers.c: listed twice")
        XCTAssertEqual(latencyError(#"{"layers": {"c": {"4": 1, "4": 2}}}"#), "lat.json: layers.c.4: listed twice")
    }

    func testBudgetsBeyondAnyModelAreRefused() {
        XCTAssertThrowsError(try Budget(parsing: "size=1e300")) { error in
            XCTAssertEqual("\(error)", "budget 'size=1e300': '1e300' is more than the largest budget 1e18")
        }
        XCTAssertThrowsError(try Budget(parsing: "latency=1001x")) { error in
            XCTAssertEqual("\(error)", "budget 'latency=1001x': '1001' is more than the largest budget 1000x")
        }
        XCTAssertEqual(try Budget(parsing: "bops=1e18"), Budget(measure: .bops, amount: .absolute(1e18)))
    }

    func testAValidTableStillLoads() throws {
        let table = try LatencyTable.decode(Data(#"{"unit": "µs", "activation_bits": 4, "layers": {"c": {"2": 1.5, "8": 3}}}"#.utf8))
        XCTAssertEqual(table.latency(layer: "c", bits: 2), 1.5)
        XCTAssertEqual(table.activationBits, 4)
    }
}
