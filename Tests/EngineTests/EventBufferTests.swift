import XCTest
@testable import Engine

final class EventBufferTests: XCTestCase {
    private func iteration(_ i: Int) -> EventRecord {
        EventRecord(time: Double(i), event: .iteration(IterationStats(unit: 0, phase: .weights, iteration: i, iterations: 100_000,
                                                                      reconstructionLoss: 1, regularizerLoss: 0, beta: 20, iterationsPerSecond: 1)))
    }

    func testDrainReturnsEverythingInOrderAndEmpties() {
        let buffer = EventBuffer(iterationCapacity: 100)
        for i in 0..<10 { buffer.append(iteration(i)) }
        XCTAssertEqual(buffer.drain().map(\.time), (0..<10).map(Double.init))
        XCTAssertTrue(buffer.drain().isEmpty)
    }

    func testStalledConsumerKeepsUnitEventsAndBoundsIterationStats() {
        let buffer = EventBuffer(iterationCapacity: 64)
        for i in 0..<10_000 {
            buffer.append(iteration(i))
            if i % 1000 == 0 { buffer.append(EventRecord(time: Double(i), event: .stateChanged(.running))) }
        }
        let records = buffer.drain()
        let states = records.filter { if case .stateChanged = $0.event { true } else { false } }
        let iterations = records.compactMap { r -> Int? in if case .iteration(let s) = r.event { s.iteration } else { nil } }
        XCTAssertEqual(states.count, 10)
        XCTAssertLessThanOrEqual(iterations.count, 64)
        XCTAssertEqual(iterations.last, 9999, "the newest stats must survive thinning")
        XCTAssertEqual(iterations, iterations.sorted())
        XCTAssertLessThan(iterations.first!, 1000, "thinning keeps the whole curve, not just its tail")
    }
}
