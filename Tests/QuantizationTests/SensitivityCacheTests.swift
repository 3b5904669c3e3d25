import Foundation
import Network
import Tensor
import XCTest
@testable import Quantization

/// A cached table is data from anyone: one with the right fingerprint (its file
/// name) but the wrong sizes or values is refused with one line naming the
/// file and the field, instead of trapping in the search.
final class SensitivityCacheTests: XCTestCase {
    private let graph = TinyNetwork.graph()
    private let images = TinyNetwork.images(48)
    private let settings = SensitivityAnalysis.Settings(activationBits: 32, weighting: .mse)
    private var directory = ""
    private var cache: SensitivityCache { SensitivityCache(directory: directory) }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "brecq-sensitivity-\(UUID().uuidString)"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// Measures once into the cache, rewrites the stored table with `edit`, and
    /// returns the refusal of the next lookup.
    private func refusal(_ edit: (inout [String: Any]) -> Void, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let (table, cached) = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)
        XCTAssertFalse(cached)
        let path = cache.path(fingerprint: table.fingerprint)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)
            XCTFail("the edited table was used", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ": "), "names the file: \(text)", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), file: file, line: line)
            return text
        }
    }

    func testARowOfTheWrongSizeIsNamed() throws {
        let text = try refusal { object in
            var single = object["single"] as! [[Any]]
            single[3].removeLast()
            object["single"] = single
        }
        XCTAssertTrue(text.contains("single[3]: 2 values, expected 3"), text)
    }

    func testMissingRowsAreNamed() throws {
        let text = try refusal { object in object["single"] = Array((object["single"] as! [Any]).prefix(2)) }
        XCTAssertTrue(text.contains("single: 2 rows for 5 searchable layers"), text)
    }

    func testAPairOutsideTheSpaceIsNamed() throws {
        let text = try refusal { object in
            var pairs = object["pairs"] as! [[String: Any]]
            pairs[0]["second"] = 4000
            object["pairs"] = pairs
        }
        XCTAssertTrue(text.contains("pairs[0]: layers 0, 4000, expected 0, 1"), text)
    }

    func testAJointTableOfTheWrongSizeIsNamed() throws {
        let text = try refusal { object in
            var pairs = object["pairs"] as! [[String: Any]]
            pairs[1]["joint"] = [[1.0]]
            object["pairs"] = pairs
        }
        XCTAssertTrue(text.contains("pairs[1].joint: 1 rows for 3 candidate bits"), text)
    }

    func testAWrongBaselineCountIsNamed() throws {
        let text = try refusal { object in object["baseline"] = [0.0, 0.0, 0.0] }
        XCTAssertTrue(text.contains("baseline: 3 values, expected 2"), text)
    }

    func testOtherCandidateBitsAreNamed() throws {
        let text = try refusal { object in object["candidateBits"] = [2, 4, 6] }
        XCTAssertTrue(text.contains("candidateBits"), text)
    }

    func testALinkAtTheCacheFileIsNotFollowed() throws {
        let (table, _) = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)
        let path = cache.path(fingerprint: table.fingerprint)
        let elsewhere = directory + "/elsewhere.json"
        try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        XCTAssertThrowsError(try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)) { error in
            XCTAssertTrue("\(error)".contains("symbolic link"), "\(error)")
        }
    }

    func testAnIntactTableIsStillAHit() throws {
        let first = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)
        let second = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache)
        XCTAssertTrue(second.cached)
        XCTAssertEqual(second.table, first.table)
    }
}
