import Foundation
import Quantization
import Tensor
import XCTest
@testable import Engine

/// A few thousand seeded mutations of valid inputs through every public parser
/// the fuzz targets call: each must return or throw, never trap. (The libFuzzer
/// targets search far deeper; this keeps the entry points honest in every test run.)
final class ParserMutationSmokeTests: XCTestCase {
    private func mutations(of seed: Data, count: Int, _ body: (Data) -> Void) {
        var random = SplitMix64(seed: 11)
        let interesting: [[UInt8]] = [Array("9223372036854775807".utf8), Array("-9223372036854775808".utf8), Array("1e300".utf8),
                                      Array("-1".utf8), Array("NaN".utf8), Array("\"".utf8), Array("{".utf8), Array("[".utf8),
                                      Array("\u{1B}]0;x\u{07}".utf8), [0x0A], [0x00], [0xFF]]
        for _ in 0..<count {
            var bytes = [UInt8](seed)
            for _ in 0...Int(random.next() % 4) {
                guard !bytes.isEmpty else { break }
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: interesting[Int(random.next() % UInt64(interesting.count))], at: at)
                default: bytes = Array(bytes[..<at])
                }
            }
            body(Data(bytes))
        }
    }

    func testEventLogAndRecordingNeverTrap() throws {
        let log = try EventLogTests.sample.map { try EventLog.line(for: $0) }.joined(separator: "\n") + "\n"
        var played = 0
        mutations(of: Data(log.utf8), count: 3000) { data in
            _ = try? EventLog.records(from: data, path: "m.jsonl")
            if let recording = try? Recording(data: data, path: "m.jsonl") {
                played += 1
                let clock = ReplaySessionTests.FakeClock()
                let replay = ReplaySession(records: recording.records, speed: 10_000, clock: clock.read)
                clock.advance(1e9)
                XCTAssertEqual(replay.drainEvents().count, recording.records.count)
                XCTAssertTrue(replay.isFinished)
            }
        }
        XCTAssertGreaterThan(played, 0)
    }

    func testBitsAndLatencyFilesNeverTrap() {
        let bits = Data(#"{"layers": {"stem": {"wbits": 8, "abits": 32}, "b1": {"wbits": 2, "abits": 4}}, "search": {"method": "genetic", "measure": "size", "budget": "avgbits=3", "limit": 10, "cost": 9, "objective": 0.5, "average_bits": 3, "seed": 1, "sensitivity": "f"}}"#.utf8)
        mutations(of: bits, count: 2000) { _ = try? BitsConfiguration.decode($0) }
        let table = Data(#"{"unit": "us", "activation_bits": 4, "source": "s", "layers": {"stem": {"8": 5}, "b1": {"2": 1.5, "4": 3}}}"#.utf8)
        mutations(of: table, count: 2000) { _ = try? LatencyTable.decode($0) }
    }
}
