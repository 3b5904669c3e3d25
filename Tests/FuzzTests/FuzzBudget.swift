import Engine
import Foundation
import FuzzTargets
import XCTest

/// What every fuzz test holds each input to, and how many mutated cases
/// each target runs in CI (chosen so that all of FuzzTests stays under ~60 s).
enum FuzzBudget {
    static let seed: UInt64 = 0x5EED_B12E
    /// libFuzzer's -timeout=10.
    static let secondsPerCase = 10.0
    /// libFuzzer's -rss_limit_mb=2048.
    static let peakResidentMB = 2048

    /// Measured on the fuzz branch (docs/fuzzing.md): about 20 s for the first ten on one core; image and viewer-request add ~5 s each.
    static func cases(_ target: FuzzTarget) -> Int {
        switch target {
        case .onnx: 600
        case .idx, .npy: 1000
        case .eventLog, .latencyTable, .image, .viewerRequest: 400
        case .modelConfig, .theme, .checkpoint, .bitsConfig, .sensitivityCache: 300
        }
    }

    /// Peak resident memory of this process so far, in MiB (libFuzzer's unit for -rss_limit_mb).
    static var peakResidentMBSoFar: Int { PeakResidentMemory.bytes() >> 20 }

    static func check(_ report: FuzzDriver.Report, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(report.slowest, secondsPerCase, "\(report): an input ran longer than \(secondsPerCase) s", file: file, line: line)
        XCTAssertLessThan(peakResidentMBSoFar, peakResidentMB, "\(report): peak RSS over \(peakResidentMB) MB", file: file, line: line)
    }
}
