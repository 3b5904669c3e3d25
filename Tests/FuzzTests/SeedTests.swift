import Foundation
import FuzzTargets
import Network
import XCTest

/// The built-in seeds are valid inputs: a target that refuses its own seed
/// fuzzes only error paths.
final class SeedTests: XCTestCase {
    override class func setUp() { FuzzEnvironment.prepare() }

    func testBuiltinSeedsAreAccepted() throws {
        for target in FuzzTarget.allCases {
            XCTAssertFalse(FuzzCorpus.seeds(target, regressions: false).isEmpty, "\(target.rawValue) has no seed")
            for (k, seed) in BuiltinSeeds.seeds(target).enumerated() {
                XCTAssertNoThrow(try target.run(seed), "\(target.rawValue) seed \(k)")
            }
        }
        // The other ONNX fixtures are broken on purpose (missing initializer, unsupported operator…).
        let tiny = FuzzCorpus.seedFiles(.onnx).filter { $0.lastPathComponent.hasPrefix("tiny_") }
        XCTAssertFalse(tiny.isEmpty)
        for file in tiny { XCTAssertNoThrow(try FuzzTarget.onnx.run(Data(contentsOf: file)), file.lastPathComponent) }
    }

    func testStructuralMutationsKeepONNXDecodable() throws {
        let file = try XCTUnwrap(FuzzCorpus.seedFiles(.onnx).first { $0.lastPathComponent == "tiny_resnet.onnx" })
        let model = try Data(contentsOf: file)
        var kept = 0
        for k in 0..<50 {
            var state = UInt64(k)
            let edited = ONNXStructuralMutation.mutate(model) { n in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int((state >> 33) % UInt64(max(n, 1)))
            }
            if edited != nil { kept += 1 }
        }
        XCTAssertEqual(kept, 50, "an edit of a valid model must still be a ModelProto")
    }
}
