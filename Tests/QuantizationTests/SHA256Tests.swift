import Foundation
import XCTest
@testable import Quantization

final class SHA256Tests: XCTestCase {
    /// FIPS 180-2's test vectors: the digest is SHA-256 itself, not something like it.
    func testSHA256MatchesTheStandardsVectors() {
        XCTAssertEqual(SHA256.hex(of: Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
