import Foundation
import XCTest
@testable import Engine
import Quantization

/// What the engine reports so that the dashboard can tell the truth: the
/// hard-rounded loss during a phase, each phase's plain-rounding reference,
/// the output's signal-to-noise ratio, and the sensitivity measurement's
/// progress — and logs written before these existed still decode.
final class TruthfulEventsTests: TinyRunTestCase {
    /// A unit's "before" is its loss at round-to-nearest with its activation
    /// quantizers, whatever the method: an RTN run reports for every unit the
    /// figures a BRECQ run on the same data starts from (it used to measure
    /// with activations off where nothing was reconstructed, which made RTN
    /// look better than it is), and a skipped unit's after equals its before.
    func testRoundToNearestRunReportsTheLossesBRECQStartsFrom() throws {
        func unitsFinished(_ method: RunConfiguration.Method) throws -> [UnitFinished] {
            var c = tiny.configuration()
            c.method = method
            let runner = SessionRunner(configuration: c)
            let events = EventCollector(runner)
            runner.start()
            guard case .finished = events.finish() else { XCTFail("the \(method) run must finish"); return [] }
            return events.events.compactMap { e -> UnitFinished? in if case .unitFinished(let f) = e { f } else { nil } }
        }
        let rtn = try unitsFinished(.rtn), brecq = try unitsFinished(.brecq)
        XCTAssertEqual(rtn.map(\.name), brecq.map(\.name))
        XCTAssertGreaterThan(rtn.count, 2)
        for r in rtn {
            XCTAssertEqual(r.status, .skipped, r.name)
            XCTAssertEqual(r.lossBefore, r.lossAfter, "\(r.name): RTN changes nothing")
        }
        // The stem is round-to-nearest in both runs, so the first block sees the same input in both and must
        // start from the same loss; later blocks differ once BRECQ has reconstructed the first.
        XCTAssertEqual(brecq[1].status, .done, "\(brecq[1].name) is reconstructed in the BRECQ run")
        for (r, b) in zip(rtn, brecq).prefix(2) {
            XCTAssertEqual(r.lossBefore, b.lossBefore, accuracy: 1e-9 * max(1, b.lossBefore), "\(r.name): the same starting point")
            XCTAssertEqual(try XCTUnwrap(r.snrBefore), try XCTUnwrap(b.snrBefore), accuracy: 1e-9, r.name)
        }
    }

    func testReconstructionReportsHardLossReferencesAndSNR() throws {
        let runner = SessionRunner(configuration: tiny.configuration())
        let events = EventCollector(runner)
        runner.start()
        guard case .finished = events.finish() else { return XCTFail("the run must finish") }
        let all = events.events
        let finished = all.compactMap { e -> UnitFinished? in if case .unitFinished(let f) = e { f } else { nil } }
        XCTAssertFalse(finished.isEmpty)
        for f in finished {
            let before = try XCTUnwrap(f.snrBefore, "\(f.name): no SNR before")
            let after = try XCTUnwrap(f.snrAfter, "\(f.name): no SNR after")
            XCTAssertTrue(before.isFinite && after.isFinite)
            if f.status == .skipped { XCTAssertEqual(before, after, "a skipped unit keeps plain rounding") }
        }
        for f in finished where f.status == .done {
            let unitEvents = all.filter {
                switch $0 {
                case .unitStarted(let u): u.unit == f.unit
                case .iteration(let it): it.unit == f.unit
                default: false
                }
            }
            let starts = unitEvents.compactMap { e -> UnitStarted? in if case .unitStarted(let u) = e { u } else { nil } }
            XCTAssertEqual(starts.first?.phase, .weights)
            XCTAssertEqual(starts.first?.nearestLoss, starts.first?.startLoss, "the weights phase starts from plain rounding")
            XCTAssertEqual(starts.last?.nearestLoss, f.lossBefore, "the last phase's rtn line is the unit's before")
            let hard = unitEvents.compactMap { e -> (UnitPhase, Int, Double)? in
                if case .iteration(let it) = e, let h = it.hardLoss { (it.phase, it.iteration, h) } else { nil }
            }
            for phase in starts.map(\.phase) {
                let measured = hard.filter { $0.0 == phase }
                XCTAssertGreaterThanOrEqual(measured.count, 2, "\(f.name) \(phase): measured during the phase and at its end")
                let iterations = phase == .weights ? 30 : 10
                XCTAssertEqual(measured.last?.1, iterations, "the last measurement is at the phase's end")
            }
            XCTAssertEqual(hard.last?.2 ?? .nan, f.lossAfter, accuracy: abs(f.lossAfter) * 1e-9, "the hard line ends at the after value")
        }
    }

    func testSearchReportsSensitivityProgressBeforeItsGenerations() throws {
        var c = tiny.configuration(wbits: 4)
        c.iterations = 100_000
        c.search = SearchSettings(budget: "avgbits=3", sensitivityImages: 32, population: 16, generations: 6, parents: 6,
                                  elites: 2, cacheDirectory: nil)
        let runner = SessionRunner(configuration: c)
        runner.start()
        let events = EventCollector(runner)
        XCTAssertNotNil(events.waitFor { if case .sessionStarted = $0 { true } else { false } })
        runner.send(.startSearch)
        XCTAssertNotNil(events.waitFor { if case .message(let m) = $0 { m.text.hasPrefix("search: objective") } else { false } })
        runner.send(.setIterations(current: 1, default: 1))
        _ = events.finish()
        let all = events.events
        let progress = all.compactMap { e -> SensitivityProgress? in if case .searchSensitivity(let p) = e { p } else { nil } }
        let firstGeneration = try XCTUnwrap(all.firstIndex { if case .searchGeneration = $0 { true } else { false } })
        let lastProgress = try XCTUnwrap(all.lastIndex { if case .searchSensitivity = $0 { true } else { false } })
        XCTAssertLessThan(lastProgress, firstGeneration, "the measurement is reported before the search")
        XCTAssertEqual(progress.first?.done, 0, "announced before the first evaluation")
        let total = try XCTUnwrap(progress.first?.total)
        XCTAssertEqual(progress.last?.done, total, "the last report says the measurement is complete")
        XCTAssertTrue(progress.allSatisfy { $0.total == total })
        XCTAssertEqual(progress.map(\.done), progress.map(\.done).sorted(), "done only grows")
        XCTAssertEqual(progress.map(\.seconds), progress.map(\.seconds).sorted())

        let started = all.compactMap { e -> SearchStarted? in if case .searchStarted(let s) = e { s } else { nil } }.first
        XCTAssertEqual(started?.budgetKind, "avgbits")
        XCTAssertEqual(started?.budgetAmount, 3)
        XCTAssertEqual(started?.unit, "bits")
        let generations = all.compactMap { e -> GenerationStats? in if case .searchGeneration(let g) = e { g } else { nil } }
        XCTAssertEqual(generations.count, 6)
        for g in generations { XCTAssertLessThanOrEqual(try XCTUnwrap(g.bestAverageBits), 3 + 1e-9, "avgbits=3 holds") }
    }

    func testHardLossPacingCostsAboutATenthAndRidesOnStatsEvents() {
        var pacing = HardLossPacing(statsInterval: 10, iterations: 20_000, startIteration: 0)
        XCTAssertEqual(pacing.gap, 2000, "at most a tenth of the phase apart")
        for _ in 0..<100 { pacing.recordStep(seconds: 0.01) }
        pacing.recordEvaluation(seconds: 30, iteration: 2000)   // a huge calibration set: 3000 steps' worth
        XCTAssertEqual(pacing.gap, 30_000, "measurements never cost more than a tenth of the training time")
        XCTAssertEqual(pacing.gap % 10, 0)
        var short = HardLossPacing(statsInterval: 4, iterations: 30, startIteration: 0)
        XCTAssertEqual(short.gap, 4)
        XCTAssertFalse(short.isDue(iteration: 3))
        XCTAssertTrue(short.isDue(iteration: 4))
        short.recordStep(seconds: 0.01)
        short.recordEvaluation(seconds: 0.001, iteration: 4)
        XCTAssertFalse(short.isDue(iteration: 6))
    }

    func testThrottledSensitivityReports() {
        var throttle = SensitivityThrottle()
        XCTAssertTrue(throttle.shouldEmit(unit: "a", done: 1, total: 10, seconds: 0))
        XCTAssertFalse(throttle.shouldEmit(unit: "a", done: 2, total: 10, seconds: 0.1))
        XCTAssertTrue(throttle.shouldEmit(unit: "b", done: 3, total: 10, seconds: 0.15), "a new unit is always reported")
        XCTAssertTrue(throttle.shouldEmit(unit: "b", done: 4, total: 10, seconds: 0.41))
        XCTAssertTrue(throttle.shouldEmit(unit: "b", done: 10, total: 10, seconds: 0.42), "the end is always reported")
    }

    func testStalledConsumerKeepsEveryHardLossMeasurement() {
        let buffer = EventBuffer(iterationCapacity: 16)
        for i in 1...5000 {
            buffer.append(EventRecord(time: Double(i), event: .iteration(IterationStats(
                unit: 0, phase: .weights, iteration: i, iterations: 5000, reconstructionLoss: 1, regularizerLoss: 0, beta: 0,
                iterationsPerSecond: 1, hardLoss: i % 500 == 0 ? Double(i) : nil))))
        }
        let kept = buffer.drain().compactMap { r -> IterationStats? in if case .iteration(let s) = r.event { s } else { nil } }
        XCTAssertEqual(kept.compactMap(\.hardLoss), stride(from: 500, through: 5000, by: 500).map(Double.init),
                       "each is the only measurement of its stretch of the run")
        XCTAssertLessThanOrEqual(kept.filter { $0.hardLoss == nil }.count, 16, "the others are still thinned")
    }

    // MARK: Logs

    func testNewFieldsRoundTripAndOldLinesStillDecode() throws {
        let records: [EventRecord] = [
            EventRecord(time: 1, event: .unitStarted(UnitStarted(unit: 1, name: "b", phase: .activations, iterations: 10, warmupIterations: 0,
                                                                 startLoss: 0.2, nearestLoss: 0.3))),
            EventRecord(time: 2, event: .iteration(IterationStats(unit: 1, phase: .weights, iteration: 5, iterations: 10, reconstructionLoss: 0.1,
                                                                  regularizerLoss: 0, beta: 0, iterationsPerSecond: 9, hardLoss: 0.15))),
            EventRecord(time: 3, event: .unitFinished(UnitFinished(unit: 1, name: "b", status: .done, lossBefore: 0.3, lossAfter: 0.1,
                                                                   seconds: 2, snrBefore: 12.5, snrAfter: 17.25))),
            EventRecord(time: 4, event: .searchSensitivity(SensitivityProgress(unit: "b", done: 3, total: 9, seconds: 1.5))),
            EventRecord(time: 5, event: .searchStarted(SearchStarted(generations: 3, population: 4, measure: "size", budget: 10, uniform4Cost: 12,
                                                                     budgetKind: "relative", budgetAmount: 0.8, unit: "bits"))),
            EventRecord(time: 6, event: .searchGeneration(GenerationStats(generation: 1, generations: 3, bestObjective: 1, meanObjective: 2,
                                                                          feasible: 4, population: 4, bestBits: [2, 4], bestCost: 9.5,
                                                                          budget: 10, bestAverageBits: 2.9))),
        ]
        for record in records {
            let line = try EventLog.line(for: record)
            XCTAssertEqual(try EventLog.makeDecoder().decode(EventRecord.self, from: Data(line.utf8)), record, line)
        }
        XCTAssertTrue(try EventLog.line(for: records[2]).contains("\"snr_after\":17.25"))
        XCTAssertTrue(try EventLog.line(for: records[3]).contains("\"type\":\"search_sensitivity\""))

        // Lines as logs written before these fields existed.
        let old = [
            #"{"t":1,"type":"unit_started","unit":1,"name":"b","phase":"weights","iterations":10,"warmup_iterations":2}"#,
            #"{"t":2,"type":"iteration","unit":1,"phase":"weights","iteration":5,"iterations":10,"reconstruction_loss":0.1,"regularizer_loss":0,"beta":0,"iterations_per_second":9}"#,
            #"{"t":3,"type":"unit_finished","unit":1,"name":"b","status":"done","loss_before":0.3,"loss_after":0.1,"seconds":2}"#,
            #"{"t":5,"type":"search_started","generations":3,"population":4,"measure":"size","budget":10,"uniform4_cost":12}"#,
            #"{"t":6,"type":"search_generation","generation":1,"generations":3,"best_objective":1,"mean_objective":2,"feasible":4,"population":4,"best_bits":[2,4],"best_cost":9.5,"budget":10}"#,
        ]
        let decoded = try old.map { try EventLog.makeDecoder().decode(EventRecord.self, from: Data($0.utf8)) }
        XCTAssertEqual(decoded[0].event, .unitStarted(UnitStarted(unit: 1, name: "b", phase: .weights, iterations: 10, warmupIterations: 2)))
        guard case .iteration(let it) = decoded[1].event, case .unitFinished(let f) = decoded[2].event,
              case .searchStarted(let s) = decoded[3].event, case .searchGeneration(let g) = decoded[4].event else {
            return XCTFail("\(decoded)")
        }
        XCTAssertNil(it.hardLoss)
        XCTAssertNil(f.snrAfter)
        XCTAssertNil(s.budgetKind)
        XCTAssertEqual(s.uniform4Cost, 12)
        XCTAssertNil(g.bestAverageBits)
    }
}
