import XCTest
@testable import Quantization

final class RoundingRegularizerTests: XCTestCase {
    func testScheduleBoundariesReferenceDefaults() {
        let r = RoundingRegularizer(totalIterations: 20000)
        XCTAssertEqual(r.start, 4000)
        XCTAssertNil(r.beta(iteration: 1))
        XCTAssertNil(r.beta(iteration: 3999))
        XCTAssertEqual(r.beta(iteration: 4000), 20)
        XCTAssertEqual(r.beta(iteration: 12000)!, 11, accuracy: 1e-4)
        XCTAssertEqual(r.beta(iteration: 20000), 2)
        XCTAssertEqual(r.warmupIterations, 3999)
    }

    func testScheduleWithFractionalStart() {
        // T = 7, warm-up 0.2 → start 1.4: iteration 1 off, 2 on.
        let r = RoundingRegularizer(weight: 0.01, betaStart: 10, betaEnd: 2, warmup: 0.2, totalIterations: 7)
        XCTAssertNil(r.beta(iteration: 1))
        XCTAssertEqual(r.beta(iteration: 2)!, 2 + 8 * (1 - 0.6 / 5.6), accuracy: 1e-5)
        XCTAssertEqual(r.beta(iteration: 7), 2)
        XCTAssertEqual(r.warmupIterations, 1)
    }

    func testNoWarmup() {
        let r = RoundingRegularizer(weight: 0.01, betaStart: 20, betaEnd: 2, warmup: 0, totalIterations: 10)
        XCTAssertEqual(r.beta(iteration: 0), 20)
        XCTAssertEqual(r.beta(iteration: 10), 2)
        XCTAssertEqual(r.warmupIterations, 0)
    }

    func testPenaltyHandValues() {
        XCTAssertEqual(RoundingRegularizer.penalty(0.5, beta: 20), 1)
        XCTAssertEqual(RoundingRegularizer.penalty(0, beta: 20), 0)
        XCTAssertEqual(RoundingRegularizer.penalty(1, beta: 2), 0)
        XCTAssertEqual(RoundingRegularizer.penalty(0.75, beta: 2), 0.75, accuracy: 1e-6)
        XCTAssertEqual(RoundingRegularizer.penalty(0.25, beta: 3), 0.875, accuracy: 1e-6)
        // d/dh (1 − (2h−1)^2) at h = 0.75 is −4(2h−1) = −2; at 0.25 it is +2.
        XCTAssertEqual(RoundingRegularizer.penaltyDerivative(0.75, beta: 2), -2, accuracy: 1e-5)
        XCTAssertEqual(RoundingRegularizer.penaltyDerivative(0.25, beta: 2), 2, accuracy: 1e-5)
    }
}
