import Foundation
import XCTest
@testable import Engine
import Quantization

final class SessionRunnerTests: TinyRunTestCase {
    private func run(_ configuration: RunConfiguration, options: SessionRunner.Options = .init()) -> (SessionRunner.Outcome, EventCollector) {
        let runner = SessionRunner(configuration: configuration, options: options)
        let collector = EventCollector(runner)
        runner.start()
        return (collector.finish(), collector)
    }

    func testARunReconstructsEveryUnitAndReportsBothEvaluations() throws {
        let (outcome, collector) = run(tiny.configuration())
        guard case .finished(let summary) = outcome else { return XCTFail("\(outcome)") }
        guard case .sessionStarted(let info)? = collector.events.first(where: { if case .sessionStarted = $0 { true } else { false } }) else {
            return XCTFail("no session_started")
        }
        XCTAssertEqual(summary.units.map(\.name), info.units.map(\.name))
        XCTAssertEqual(summary.units.first?.status, .skipped, "the stem stays at 8-bit round-to-nearest")
        XCTAssertTrue(summary.units.dropFirst().allSatisfy { $0.status == .done })
        XCTAssertNotNil(summary.fpTop1)
        XCTAssertNotNil(summary.quantTop1)
        XCTAssertNotNil(summary.kl)
        let stem = info.layers.first!, head = info.layers.last!
        XCTAssertEqual(summary.bits[stem.name]?.wbits, 8)
        XCTAssertEqual(summary.bits[head.name]?.wbits, 8)
        XCTAssertEqual(summary.bits[head.name]?.abits, 8, "the classifier's input is truly 8-bit")
        XCTAssertTrue(info.layers.dropFirst().dropLast().allSatisfy { summary.bits[$0.name]?.wbits == 3 })
        let iterations = collector.events.filter { if case .iteration = $0 { true } else { false } }
        XCTAssertEqual(iterations.count, (info.units.count - 1) * 40, "one stats event per iteration with interval 1")
        XCTAssertEqual(collector.events.last, .finished(RunSummary(fpTop1: summary.fpTop1, quantTop1: summary.quantTop1,
                                                                   wallSeconds: summary.wallSeconds, peakRssBytes: summary.peakRssBytes)))
        XCTAssertEqual(summary.activationCache, .fp32, "auto keeps a model this small in fp32")
    }

    /// The summary's peak resident memory is the process's: at least a buffer this test
    /// allocated and touched before the run (the peak never falls), and less than the machine's memory.
    func testSummaryRecordsThePeakResidentMemory() throws {
        let touched = 64 << 20
        var buffer = [UInt8](repeating: 1, count: touched)
        buffer.withUnsafeMutableBytes { bytes in for i in stride(from: 0, to: bytes.count, by: 4096) { bytes[i] = UInt8(i & 0xFF) } }
        XCTAssertEqual(buffer[4096], 0)
        let (outcome, collector) = run(tiny.configuration())
        guard case .finished(let summary) = outcome else { return XCTFail("\(outcome)") }
        let peak = try XCTUnwrap(summary.peakRssBytes)
        XCTAssertGreaterThanOrEqual(peak, touched)
        XCTAssertLessThan(peak, Int(ProcessInfo.processInfo.physicalMemory))
        guard case .finished(let event)? = collector.events.last else { return XCTFail("no finished event") }
        XCTAssertEqual(event.peakRssBytes, peak, "the finished event says the same peak")
        withExtendedLifetime(buffer) {}
    }

    func testSameSeedGivesTheSameSummary() {
        var a = run(tiny.configuration()).0, b = run(tiny.configuration()).0
        a = a.withoutTimes; b = b.withoutTimes
        XCTAssertEqual(a, b)
        var other = tiny.configuration()
        other.seed = 99
        XCTAssertNotEqual(run(other).0.withoutTimes, a)
    }

    func testEventLogIsACompleteRecording() throws {
        let log = tiny.directory.appendingPathComponent("events.jsonl").path
        let (_, collector) = run(tiny.configuration(), options: .init(eventLogPath: log))
        let recorded = try EventLog.read(contentsOf: URL(fileURLWithPath: log))
        // `progress` events (decoding, preparing a unit) are published to front ends only, as `export_finished` is.
        XCTAssertEqual(recorded, collector.records.filter { if case .progress = $0.event { false } else { true } })
        XCTAssertTrue(collector.records.contains { if case .progress = $0.event { true } else { false } }, "no progress was published")
    }

    func testBadConfigurationFailsWithAMessage() {
        var c = tiny.configuration()
        c.data = tiny.directory.appendingPathComponent("nowhere").path
        let (outcome, collector) = run(c)
        guard case .failed(let text) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(text.contains("nowhere"), text)
        XCTAssertTrue(collector.events.contains(.stateChanged(.error)))
    }
}

extension SessionRunner.Outcome {
    /// The outcome with wall-clock fields zeroed, for comparing runs.
    var withoutTimes: SessionRunner.Outcome {
        guard case .finished(var s) = self else { return self }
        s.wallSeconds = 0
        s.peakRssBytes = nil   // grows with whatever the process did before
        for k in s.units.indices { s.units[k].seconds = 0 }
        return .finished(s)
    }
}
