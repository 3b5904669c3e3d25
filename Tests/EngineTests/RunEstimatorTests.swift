import XCTest
@testable import Engine

/// The estimate's cost model against hand computations.
final class RunEstimatorTests: XCTestCase {
    typealias Unit = RunEstimator.PlannedUnit
    typealias Sample = RunEstimator.Sample

    /// A stem that is not reconstructed, then units of cost 100, 200 and 400, each 10 weight and 5 activation iterations.
    let estimator = RunEstimator(plan: [Unit(name: "stem", cost: 50, weightIterations: 0, activationIterations: 0),
                                        Unit(name: "block1", cost: 100, weightIterations: 10, activationIterations: 5),
                                        Unit(name: "block2", cost: 200, weightIterations: 10, activationIterations: 5),
                                        Unit(name: "block3", cost: 400, weightIterations: 10, activationIterations: 5)],
                                 evaluationWork: 1000, evaluationSecondsPerWork: 0.001)

    func testOneMeasuredUnitScalesByCost() throws {
        // block1 at 0.5 s/it: 0.005 s per unit of cost; 4 of its 10 weight iterations done.
        let e = try XCTUnwrap(estimator.estimate(samples: [Sample(unit: 1, cost: 100, secondsPerIteration: 0.5)],
                                                 at: .init(unit: 1, iterationsDone: 4)))
        // block1: 6 × 0.5 + 5 × 0.5 = 5.5; block2: 15 × 1.0 = 15; block3: 15 × 2.0 = 30; evaluation 1000 × 0.001 = 1.
        XCTAssertEqual(e.units.map(\.unit), [1, 2, 3])
        XCTAssertEqual(e.units[0].seconds, 5.5, accuracy: 1e-9)
        XCTAssertEqual(e.units[1].seconds, 15, accuracy: 1e-9)
        XCTAssertEqual(e.units[2].seconds, 30, accuracy: 1e-9)
        XCTAssertEqual(e.weightsSeconds, 3 + 10 + 20, accuracy: 1e-9)
        XCTAssertEqual(e.activationsSeconds, 2.5 + 5 + 10, accuracy: 1e-9)
        XCTAssertEqual(e.evaluationSeconds, 1, accuracy: 1e-9)
        XCTAssertEqual(e.seconds, 51.5, accuracy: 1e-9)
        XCTAssertEqual(e.iterationsPerSecond, 2, accuracy: 1e-9)
        XCTAssertEqual(e.name, "block1")
        XCTAssertEqual(e.seconds(after: 1), 46, accuracy: 1e-9, "block2, block3 and the evaluation")
    }

    func testAUnitTwiceAsCostlyTakesTwiceAsLong() throws {
        let e = try XCTUnwrap(estimator.estimate(samples: [Sample(unit: 1, cost: 100, secondsPerIteration: 0.3)], at: .init(unit: 2)))
        XCTAssertEqual(e.units[1].seconds, 2 * e.units[0].seconds, accuracy: 1e-9)
    }

    func testTwoMeasuredUnitsAreFittedByLeastSquares() {
        // 0.6 s/it at cost 100 and 1.0 at 300: 0.4 s + 0.002 s per unit of cost, so block2 (200) at 0.8 s/it.
        let fit = RunEstimator.Fit([Sample(unit: 1, cost: 100, secondsPerIteration: 0.6), Sample(unit: 3, cost: 300, secondsPerIteration: 1.0)])
        XCTAssertEqual(fit?.intercept ?? .nan, 0.4, accuracy: 1e-12)
        XCTAssertEqual(fit?.slope ?? .nan, 0.002, accuracy: 1e-12)
        // A falling line (noise on two close costs) is not believed: the best line through the origin instead.
        let falling = RunEstimator.Fit([Sample(unit: 1, cost: 100, secondsPerIteration: 1.0), Sample(unit: 2, cost: 200, secondsPerIteration: 0.9)])
        XCTAssertEqual(falling?.intercept, 0)
        let throughOrigin: Double = (100 * 1.0 + 200 * 0.9) / 50_000
        XCTAssertEqual(falling?.slope ?? .nan, throughOrigin, accuracy: 1e-15)
        XCTAssertNil(RunEstimator.Fit([]))
    }

    func testTheEstimateIsRefinedAfterEachUnit() throws {
        // After block1 (weights 0.5 s/it, activations 0.25 s/it): block2 and block3 at the ratio.
        let first = [Sample(unit: 1, cost: 100, secondsPerIteration: 0.5), Sample(unit: 1, cost: 100, secondsPerIteration: 0.25, activations: true)]
        let afterBlock1 = try XCTUnwrap(estimator.estimate(samples: first, at: .init(unit: 2)))
        // block2: 10 × 1.0 + 5 × 0.5 = 12.5; block3: 10 × 2.0 + 5 × 1.0 = 25; evaluation 1.
        XCTAssertEqual(afterBlock1.units.map(\.unit), [2, 3])
        XCTAssertEqual(afterBlock1.units[0].seconds, 12.5, accuracy: 1e-9)
        XCTAssertEqual(afterBlock1.units[1].seconds, 25, accuracy: 1e-9)
        XCTAssertEqual(afterBlock1.seconds, 38.5, accuracy: 1e-9)
        // block2 turned out to cost 1.4 s/it in weights and 0.7 in activations: the fit through
        // (100, 0.5) and (200, 1.4) is −0.4 + 0.009 × cost, whose intercept is negative, so the line
        // through the origin: (100·0.5 + 200·1.4) / (100² + 200²) = 0.0066 per unit of cost.
        let second = first + [Sample(unit: 2, cost: 200, secondsPerIteration: 1.4), Sample(unit: 2, cost: 200, secondsPerIteration: 0.7, activations: true)]
        let afterBlock2 = try XCTUnwrap(estimator.estimate(samples: second, at: .init(unit: 3)))
        // Activations: (100·0.25 + 200·0.7) / 50000 = 0.0033; block3: 10 × 2.64 + 5 × 1.32 = 33.
        XCTAssertEqual(afterBlock2.units.map(\.unit), [3])
        XCTAssertEqual(afterBlock2.units[0].seconds, 33, accuracy: 1e-9)
        XCTAssertEqual(afterBlock2.seconds, 34, accuracy: 1e-9)
        XCTAssertEqual(afterBlock2.name, "block2")
        XCTAssertEqual(afterBlock2.iterationsPerSecond, 1 / 0.7, accuracy: 1e-9, "the latest sample's rate")
    }

    func testWithoutAMeasuredEvaluationTheForwardIsAThirdOfAnIteration() throws {
        var e = estimator
        e.evaluationSecondsPerWork = nil
        let estimate = try XCTUnwrap(e.estimate(samples: [Sample(unit: 1, cost: 100, secondsPerIteration: 0.3)], at: .init(unit: 4)))
        XCTAssertEqual(estimate.units, [])
        XCTAssertEqual(estimate.evaluationSeconds, 1000 * 0.003 / 3, accuracy: 1e-12)
        XCTAssertNil(estimator.estimate(samples: [], at: .init(unit: 1)), "nothing measured, nothing estimated")
    }

    func testTheSummaryLineNamesEachPart() {
        let e = RunEstimate(seconds: 11_520, weightsSeconds: 10_200, activationsSeconds: 1_200, evaluationSeconds: 120,
                            iterationsPerSecond: 1.3, unit: 1, name: "block1", units: [])
        XCTAssertEqual(e.summary(duration: { "\(Int($0))s" }),
                       "estimated total: 11520s (weights 10200s, activations 1200s, evaluation 120s) at 1.3 it/s on block1")
    }

    /// Time between iterations (a unit's stream passes, analysis, checkpoint), measured per MAC of one image
    /// through the finished units, is added for every unit still to start, not for the running one's past.
    func testTimeBetweenUnitsIsPricedByEachUnitsMACs() throws {
        var priced = estimator
        for k in priced.plan.indices { priced.plan[k].macs = priced.plan[k].cost / 10 }   // 5, 10, 20, 40 MACs
        priced.betweenUnitsSecondsPerMAC = 0.5
        let sample = [Sample(unit: 1, cost: 100, secondsPerIteration: 0.5)]
        let plain = try XCTUnwrap(estimator.estimate(samples: sample, at: .init(unit: 2)))
        let e = try XCTUnwrap(priced.estimate(samples: sample, at: .init(unit: 2)))
        // block2 (20 MACs) and block3 (40): 10 s and 20 s between iterations.
        XCTAssertEqual(e.betweenUnitsSeconds ?? -1, 30, accuracy: 1e-9)
        XCTAssertEqual(e.units[0].seconds, plain.units[0].seconds + 10, accuracy: 1e-9)
        XCTAssertEqual(e.units[1].seconds, plain.units[1].seconds + 20, accuracy: 1e-9)
        XCTAssertEqual(e.seconds, plain.seconds + 30, accuracy: 1e-9)
        XCTAssertNil(plain.betweenUnitsSeconds, "nothing measured, nothing claimed")
        // In the middle of block2, its preparation is behind it: only block3's is still to come.
        let running = try XCTUnwrap(priced.estimate(samples: sample, at: .init(unit: 2, iterationsDone: 3)))
        XCTAssertEqual(running.betweenUnitsSeconds ?? -1, 20, accuracy: 1e-9)
    }

    func testTheSummaryLineSaysTheTimeBetweenUnitsAndSlowRates() {
        let e = RunEstimate(seconds: 11_520, weightsSeconds: 9_000, activationsSeconds: 1_200, evaluationSeconds: 120,
                            betweenUnitsSeconds: 1_200, iterationsPerSecond: 0.08, unit: 1, name: "block1", units: [])
        XCTAssertEqual(e.summary(duration: { "\(Int($0))s" }),
                       "estimated total: 11520s (weights 9000s, activations 1200s, between units 1200s, evaluation 120s) at 12.5 s/it on block1")
    }
}
