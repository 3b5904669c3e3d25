import Engine
import Foundation
import Tensor

/// Headless progress on stderr: a single redrawn bar when stderr is a terminal,
/// plain lines (unit boundaries, evaluations, a stats line every few seconds) otherwise.
final class ProgressReporter {
    private let interactive: Bool
    private var units: [UnitInfo] = []
    private var unitNames: [Int: String] = [:]
    private var lastPlainLine = -Double.infinity
    private var barShown = false
    /// The engine's latest estimate of the rest of the run.
    private var estimate: RunEstimate?
    /// Iterations of a unit's activation phase (0 when activations are not quantized).
    private var activationIterations = 0

    /// Where the text goes: stderr, or a test's buffer.
    private let write: (String) -> Void

    init(interactive: Bool = isatty(STDERR_FILENO) == 1,
         write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.interactive = interactive
        self.write = write
    }

    func report(_ record: EventRecord) {
        switch record.event {
        case .sessionStarted(let info):
            units = info.units
            activationIterations = info.abits < 32 ? info.activationIterations : 0
            line("model \(info.model): \(info.units.count) units, \(info.layers.count) layers; W\(info.wbits)A\(info.abits == 32 ? "32" : String(info.abits)) \(info.method) (\(info.granularity))")
        case .unitStarted(let s):
            unitNames[s.unit] = s.name
            if !interactive { line("unit \(s.unit + 1)/\(units.count) \(s.name): \(s.phase.rawValue) phase, \(s.iterations) iterations") }
        case .iteration(let s):
            if interactive {
                bar(s)
            } else if record.time - lastPlainLine >= 5 || s.iteration == s.iterations {
                lastPlainLine = record.time
                line(String(format: "  %@ it %d/%d  rec %.5g  reg %.4g  %.1f it/s", unitNames[s.unit] ?? "unit \(s.unit)",
                            s.iteration, s.iterations, s.reconstructionLoss, s.regularizerLoss, s.iterationsPerSecond))
            }
        case .unitFinished(let f):
            line(String(format: "unit %d/%d %@ %@: loss %.5g -> %.5g (%.1fs)", f.unit + 1, units.count, f.name,
                        f.status.rawValue, f.lossBefore, f.lossAfter, f.seconds))
        case .evaluation(let e):
            var text = String(format: "%@ top-1 %.2f%%  top-5 %.2f%% on %d images", e.model.label, e.top1, e.top5, e.images)
            if let kl = e.kl { text += String(format: "  KL %.5f", kl) }
            line(text)
        case .estimate(let e):
            if estimate == nil { line(e.summary(duration: Self.duration)) }
            estimate = e
        case .checkpointWritten(let c): line("checkpoint \(c.path) (\(c.unitsDone) units done)")
        case .analysis(let a):
            if let worst = a.report.worstFirst.first {
                line(String(format: "analysis %d/%d units: worst layer %@ at %.2f dB noise-to-signal", a.unitsDone, a.unitCount,
                            worst.layer, worst.accumulated.noiseToSignalDecibels))
            }
        // A failure is said once, by the command as it exits; the event log keeps the error event.
        case .message(let m) where m.level != .error: line("\(m.level.rawValue): \(m.text)")
        case .stateChanged(let s) where s == .paused || s == .stopped: line("state: \(s.rawValue)")
        case .searchGeneration(let g):
            if !interactive, g.generation % 10 == 0 || g.generation == g.generations {
                line(String(format: "search generation %d/%d best %.5g mean %.5g feasible %d/%d", g.generation, g.generations,
                            g.bestObjective, g.meanObjective, g.feasible, g.population))
            }
        case .progress(let p):
            stage(p)
        case .finished(let s):
            line(String(format: "done in %.1fs", s.wallSeconds) + (s.peakRssBytes.map { ", peak memory " + PeakResidentMemory.text(bytes: $0) } ?? ""))
        default: break
        }
    }

    /// Slow work between iterations (decoding images, preparing a unit, the
    /// analysis, a checkpoint): on a terminal it takes the bar's line, so minutes
    /// of decoding or preparing a 224×224 unit are not silent; in a log, a
    /// counted stage gets one line when it ends and the rest is left to the
    /// lines that follow (the unit's start, "checkpoint …").
    private func stage(_ p: StageProgress) {
        let label = p.unit.map { "\(p.stage) \(unitNames[$0] ?? (units.indices.contains($0) ? units[$0].name : "unit \($0 + 1)"))" } ?? p.stage
        let counted = p.total > 1
        if interactive {
            let text = counted ? DecodingProgressBar.text(label: label, done: p.done, total: p.total) : label + "…"
            write("\r\u{1B}[2K" + TerminalText.sanitized(text))
            barShown = true
        } else if counted && p.isFinished {
            line("\(label): \(p.done)/\(p.total)")
        }
    }

    private func bar(_ s: IterationStats) {
        let width = 24
        // A recording may say iteration 30 of 20 (iterations lowered mid-unit, or a hand-edited log).
        let filled = s.iterations > 0 ? min(width, max(0, width * s.iteration / s.iterations)) : 0
        let unitRemaining = s.iterationsPerSecond > 0 ? Double(max(0, s.iterations - s.iteration)) / s.iterationsPerSecond : 0
        // The whole run once the engine has estimated it: this phase at its rate, then every later unit and the evaluation.
        let laterPhase = s.phase == .weights && s.iterationsPerSecond > 0 ? Double(activationIterations) / s.iterationsPerSecond : 0
        let remaining = unitRemaining + (estimate.map { laterPhase + $0.seconds(after: s.unit) } ?? 0)
        let text = String(format: "\r\u{1B}[2Kunit %d/%d %@ [%@%@] %d/%d loss %.4g  %.0f it/s  ETA %@",
                          s.unit + 1, units.count, TerminalText.sanitized(unitNames[s.unit] ?? ""), String(repeating: "#", count: filled),
                          String(repeating: ".", count: width - filled), s.iteration, s.iterations,
                          s.reconstructionLoss, s.iterationsPerSecond, Self.duration(remaining))
        write(text)
        barShown = true
    }

    private func line(_ text: String) {
        let prefix = barShown ? "\r\u{1B}[2K" : ""
        barShown = false
        // Names come from model files and recordings; their control characters are shown, not executed.
        write(prefix + TerminalText.sanitized(text) + "\n")
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
