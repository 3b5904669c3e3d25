import Foundation
import XCTest
import Quantization

/// One range for bit widths (`BitWidth`), and a `LayerBits` that cannot hold a
/// width outside it, whether made in code or read from a file.
final class LayerBitsTests: XCTestCase {
    func testWeightsTakeTwoToEightAndActivationsAlsoThirtyTwo() {
        for bits in -1...40 {
            XCTAssertEqual(BitWidth.isValid(bits, for: .weights), (2...8).contains(bits), "\(bits)")
            XCTAssertEqual(BitWidth.isValid(bits, for: .activations), (2...8).contains(bits) || bits == 32, "\(bits)")
        }
        XCTAssertEqual(BitWidth.problem(9, for: .weights), "must be in 2…8, got 9")
        XCTAssertEqual(BitWidth.problem(32, for: .weights), "must be in 2…8, got 32")
        XCTAssertEqual(BitWidth.problem(1, for: .activations), "must be in 2…8 or 32, got 1")
        XCTAssertNil(BitWidth.problem(32, for: .activations))
    }

    func testTheInitialiserRefusesAWidthOutOfRangeNamingTheField() throws {
        XCTAssertEqual(try LayerBits(wbits: 2, abits: 32).abits, 32)
        XCTAssertThrowsError(try LayerBits(wbits: 32, abits: 4)) { error in
            XCTAssertEqual("\(error)", "wbits must be in 2…8, got 32")
        }
        XCTAssertThrowsError(try LayerBits(wbits: 4, abits: 9)) { error in
            XCTAssertEqual("\(error)", "abits must be in 2…8 or 32, got 9")
        }
    }

    func testDecodingChecksTheRangeAtTheField() throws {
        XCTAssertEqual(try JSONDecoder().decode(LayerBits.self, from: Data(#"{"wbits": 3, "abits": 32}"#.utf8)),
                       try LayerBits(wbits: 3, abits: 32))
        XCTAssertThrowsError(try JSONDecoder().decode([String: LayerBits].self, from: Data(#"{"c": {"wbits": 4, "abits": 1}}"#.utf8))) {
            XCTAssertEqual(DecodingErrorText.describe($0), "c.abits: must be in 2…8 or 32, got 1")
        }
    }

    func testABadWidthInsideAnExportsEncodingsIsReportedThere() {
        let json = #"{"format": "brecq-qdq-encodings", "bit_configuration": {"layers": {"c": {"wbits": 12, "abits": 4}}}}"#
        XCTAssertThrowsError(try BitsConfiguration.decode(Data(json.utf8), source: "enc.json")) { error in
            XCTAssertEqual("\(error)", "enc.json: bit_configuration.layers.c.wbits: must be in 2…8, got 12")
        }
    }

    func testSeveralBadLayersNameTheFirstByName() {
        let json = #"{"layers": {"zeta": {"wbits": 9, "abits": 4}, "alpha": {"wbits": 1, "abits": 4}, "mid": {"wbits": 0, "abits": 4}}}"#
        for _ in 0..<5 {
            XCTAssertThrowsError(try BitsConfiguration.decode(Data(json.utf8), source: "b.json")) { error in
                XCTAssertEqual("\(error)", "b.json: layers.alpha.wbits: must be in 2…8, got 1")
            }
        }
    }
}
