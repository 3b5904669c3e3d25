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
            let seeds = BuiltinSeeds.seeds(target)
            XCTAssertFalse(seeds.isEmpty, "\(target.rawValue) has no built-in seed")
            for (k, seed) in seeds.enumerated() {
                XCTAssertNoThrow(try target.run(seed), "\(target.rawValue) seed \(k)")
            }
        }
    }

    func testStructuralMutationsKeepONNXDecodable() {
        var kept = 0
        for k in 0..<50 {
            var state = UInt64(k)
            let edited = ONNXStructuralMutation.mutate(BuiltinSeeds.seeds(.onnx)[0]) { n in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int((state >> 33) % UInt64(max(n, 1)))
            }
            if edited != nil { kept += 1 }
        }
        XCTAssertEqual(kept, 50, "an edit of a valid model must still be a ModelProto")
    }
}
