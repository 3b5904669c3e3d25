import Foundation
import Engine
import Network
import Quantization
@testable import Dashboard

/// Realistic engine event sequences for reducer and snapshot tests: a small
/// ResNet-like model reconstructed block by block, with decaying losses.
enum SyntheticSession {
    static let units: [UnitInfo] = [
        UnitInfo(index: 0, name: "stem", kind: "stem", layers: ["conv1"], outputShape: [1, 16, 28, 28], params: 160, macs: 125_440),
        UnitInfo(index: 1, name: "layer1.0", kind: "basic", layers: ["layer1.0.conv1", "layer1.0.conv2"], outputShape: [1, 16, 28, 28], params: 4640, macs: 3_612_672),
        UnitInfo(index: 2, name: "layer2.0", kind: "basic", layers: ["layer2.0.conv1", "layer2.0.conv2", "layer2.0.downsample"], outputShape: [1, 32, 14, 14], params: 14_432, macs: 2_822_144),
        UnitInfo(index: 3, name: "layer3.0", kind: "basic", layers: ["layer3.0.conv1", "layer3.0.conv2"], outputShape: [1, 64, 7, 7], params: 55_424, macs: 2_709_504),
        UnitInfo(index: 4, name: "head", kind: "head", layers: ["fc"], outputShape: [1, 10], params: 650, macs: 640),
    ]

    static let layers: [LayerInfo] = [
        LayerInfo(name: "conv1", unit: 0, kind: "conv", params: 160, macs: 125_440, wbits: 8, abits: 8, locked: true),
        LayerInfo(name: "layer1.0.conv1", unit: 1, kind: "conv", params: 2320, macs: 1_806_336, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer1.0.conv2", unit: 1, kind: "conv", params: 2320, macs: 1_806_336, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer2.0.conv1", unit: 2, kind: "conv", params: 4640, macs: 903_168, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer2.0.conv2", unit: 2, kind: "conv", params: 9248, macs: 1_806_336, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer2.0.downsample", unit: 2, kind: "conv", params: 544, macs: 112_640, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer3.0.conv1", unit: 3, kind: "conv", params: 18_496, macs: 903_168, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "layer3.0.conv2", unit: 3, kind: "conv", params: 36_928, macs: 1_806_336, wbits: 4, abits: 8, locked: false),
        LayerInfo(name: "fc", unit: 4, kind: "linear", params: 650, macs: 640, wbits: 8, abits: 8, locked: true),
    ]

    static let info = SessionInfo(
        model: "resnet-mini.onnx", data: "mnist-calib.idx", method: .brecq, wbits: 4, abits: 8,
        granularity: .block, iterations: 2000, activationIterations: 0, calibrationSize: 1024, seed: 7,
        hyperparameters: Hyperparameters(), units: units, layers: layers)

    static func record(_ time: Double, _ event: EngineEvent) -> EventRecord { EventRecord(time: time, event: event) }

    /// Iteration stats every `every` iterations of a unit: the reconstruction loss
    /// decays from `start` to `end`; the regulariser is 0 in warm-up, then falls.
    static func iterations(unit: Int, from: Int = 1, to: Int, total: Int = 2000, every: Int = 50,
                           start: Double, end: Double, t0: Double) -> [EventRecord] {
        stride(from: max(every, from), through: to, by: every).map { i in
            let progress = Double(i) / Double(total)
            let rec = end + (start - end) * exp(-5 * progress)
            let reg = progress < 0.2 ? 0 : 40 * (1 - progress) * (1 - progress)
            let beta = progress < 0.2 ? 20 : 20 - 18 * (progress - 0.2) / 0.8
            return record(t0 + Double(i) / 100, .iteration(IterationStats(
                unit: unit, phase: .weights, iteration: i, iterations: total,
                reconstructionLoss: rec, regularizerLoss: reg, beta: beta, iterationsPerSecond: 100)))
        }
    }

    static let finalLosses: [(before: Double, after: Double)] = [(0.021, 0.0042), (0.087, 0.011), (0.19, 0.031), (0.64, 0.29), (0.012, 0.0031)]

    /// Session start, three units done, the fourth (the weak one) half-way.
    static func midRun() -> [EventRecord] {
        var records = [record(0, .sessionStarted(info)), record(0.1, .stateChanged(.calibrating)),
                       record(0.5, .stateChanged(.running)),
                       record(0.6, .evaluation(EvaluationResult(model: .fp, images: 1000, top1: 0.9912, top5: 0.9998, kl: nil)))]
        var t = 1.0
        for unit in 0..<3 {
            records.append(record(t, .unitStarted(UnitStarted(unit: unit, name: units[unit].name, phase: .weights, iterations: 2000, warmupIterations: 400))))
            records += iterations(unit: unit, to: 2000, start: finalLosses[unit].before, end: finalLosses[unit].after, t0: t)
            t += 20
            records.append(record(t, .unitFinished(UnitFinished(unit: unit, name: units[unit].name, status: .done,
                                                                 lossBefore: finalLosses[unit].before, lossAfter: finalLosses[unit].after, seconds: 20))))
            records.append(record(t, .checkpointWritten(CheckpointWritten(path: "runs/resnet-mini/ckpt", unitsDone: unit + 1))))
        }
        records.append(record(t, .unitStarted(UnitStarted(unit: 3, name: "layer3.0", phase: .weights, iterations: 2000, warmupIterations: 400))))
        records += iterations(unit: 3, to: 1000, start: 0.64, end: 0.29, t0: t)
        return records
    }

    /// A finished run followed by a search with several generations.
    static func withSearch() -> [EventRecord] {
        var records = midRun()
        var t = 80.0
        records += iterations(unit: 3, from: 1050, to: 2000, start: 0.64, end: 0.29, t0: 61)
        records.append(record(t, .unitFinished(UnitFinished(unit: 3, name: "layer3.0", status: .done, lossBefore: 0.64, lossAfter: 0.29, seconds: 20))))
        records.append(record(t, .unitStarted(UnitStarted(unit: 4, name: "head", phase: .weights, iterations: 2000, warmupIterations: 400))))
        records.append(record(t + 5, .unitFinished(UnitFinished(unit: 4, name: "head", status: .skipped, lossBefore: 0.012, lossAfter: 0.0031, seconds: 5))))
        t += 6
        records.append(record(t, .stateChanged(.searching)))
        records.append(record(t, .searchStarted(SearchStarted(generations: 20, population: 32, measure: "size", budget: 40_000, uniform4Cost: 43_780))))
        for g in 1...12 {
            let best = 0.05 + 0.3 * exp(-Double(g) / 3)
            records.append(record(t + Double(g), .searchGeneration(GenerationStats(
                generation: g, generations: 20, bestObjective: best, meanObjective: best * 1.8, feasible: min(32, 10 + g),
                population: 32, bestBits: [8, 4, 4, 4, 4, 4, 2, 4, 8], bestCost: 41_000 - Double(g) * 150, budget: 40_000))))
        }
        records.append(record(t + 13, .evaluation(EvaluationResult(model: .quantized(.init(done: 5, total: 5)), images: 1000, top1: 0.9874, top5: 0.9995, kl: 0.0123))))
        return records
    }

    /// A W4A4 run as the engine reports it now: every unit's weights phase,
    /// then its activations phase, with the plain-rounding and hard-rounded
    /// reference losses and the output SNR. Of the finished units layer2.0 has
    /// the larger loss but layer1.0 the lower SNR; layer3.0 (the largest
    /// activations, the largest loss) is half-way through its activations phase.
    static func w4a4Run() -> [EventRecord] {
        var w4a4 = info
        w4a4.abits = 4
        w4a4.activationIterations = 500
        var records = [record(0, .sessionStarted(w4a4)), record(0.5, .stateChanged(.running))]
        // (unit, rtn weights-phase loss, hard end of weights phase, before, after, SNR before, SNR after)
        let results: [(Int, Double, Double, Double, Double, Double, Double)] = [
            (1, 0.021, 0.0125, 0.034, 0.0131, 11.8, 15.9), (2, 0.087, 0.052, 0.12, 0.061, 14.1, 18.7),
            (3, 0.55, 0.31, 0.93, 0.46, 19.6, 23.4),
        ]
        var t = 1.0
        for r in results {
            let unit = r.0
            records.append(record(t, .unitStarted(UnitStarted(unit: unit, name: units[unit].name, phase: .weights, iterations: 2000,
                                                              warmupIterations: 400, startLoss: r.1, nearestLoss: r.1))))
            for (k, event) in iterations(unit: unit, to: 2000, start: r.1 * 0.8, end: r.2 * 0.9, t0: t).enumerated() {
                guard case .iteration(var it) = event.event else { continue }
                if (k + 1) % 8 == 0 { it.hardLoss = r.2 + (r.1 - r.2) * exp(-5 * Double(it.iteration) / 2000) }
                records.append(record(event.time, .iteration(it)))
            }
            t += 20
            records.append(record(t, .unitStarted(UnitStarted(unit: unit, name: units[unit].name, phase: .activations, iterations: 500,
                                                              warmupIterations: 0, startLoss: r.3 * 0.75, nearestLoss: r.3))))
            let last = unit == 3 ? 250 : 500
            for i in stride(from: 25, through: last, by: 25) {
                let rec = r.4 * 0.95 + (r.3 * 0.7 - r.4 * 0.95) * exp(-6 * Double(i) / 500)
                let hard: Double? = i % 125 == 0 ? r.4 + (r.3 * 0.75 - r.4) * exp(-6 * Double(i) / 500) : nil
                records.append(record(t + Double(i) / 100, .iteration(IterationStats(
                    unit: unit, phase: .activations, iteration: i, iterations: 500, reconstructionLoss: rec, regularizerLoss: 0,
                    beta: 0, iterationsPerSecond: 100, hardLoss: hard))))
            }
            if unit == 3 { break }
            t += 5
            records.append(record(t, .unitFinished(UnitFinished(unit: unit, name: units[unit].name, status: .done, lossBefore: r.3,
                                                                 lossAfter: r.4, seconds: 25, snrBefore: r.5, snrAfter: r.6))))
        }
        return records
    }

    /// Ticks until the search panel has played back every generation received,
    /// then puts the clock back so that the header's elapsed time is unchanged.
    static func playedBack(_ state: DashboardState) -> DashboardState {
        var s = state
        var now = state.now
        while s.search?.isCatchingUp == true {
            s = DashboardReducer.update(s, .tick(now: now)).0
            now += SearchProgress.revealInterval
        }
        s.now = state.now
        return s
    }

    /// Folds records through the reducer.
    static func state(_ records: [EventRecord], from initial: DashboardState = DashboardState()) -> DashboardState {
        records.reduce(initial) { DashboardReducer.update($0, .engine($1)).0 }
    }

    /// Presses `keys` in order: the state after the last and every effect they asked for.
    static func press(_ state: DashboardState, _ keys: [Key]) -> (DashboardState, [Effect]) {
        var s = state, all: [Effect] = []
        for key in keys {
            let (next, effects) = DashboardReducer.update(s, .key(key))
            s = next; all += effects
        }
        return (s, all)
    }
}
