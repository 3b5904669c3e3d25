import Engine
import Foundation
import Quantization
import Tensor

/// Two recordings of the same model side by side (`brecq compare`): each run
/// as the dashboard would show it at its end, and rows that align their units.
/// Units of equal granularity align one to one; when one run is finer (AdaRound
/// layer by layer against BRECQ block by block) a row is the smallest group of
/// consecutive units of each run covering the same layers, and a run with
/// several units in a row has no single loss there (its losses measure layer
/// outputs, the other run's the block's output): only its curves are shown.
public struct RunComparison: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        /// The recording's path as given.
        public var label: String
        public var session: SessionInfo
        public var state: DashboardState

        public var units: [UnitProgress] { state.units }
        /// "brecq W2A4 block".
        public var title: String {
            "\(session.method) W\(session.wbits)A\(NumberFormat.abits(session.abits)) \(session.granularity)"
        }
    }

    public struct Row: Sendable, Equatable {
        /// The units of each run in this row (indices into `Run.units`), run A first.
        public var units: [[Int]]
        public var name: String
    }

    public var runs: [Run]
    public var rows: [Row]

    /// Folds each recording through the dashboard's reducer and aligns their units;
    /// refuses recordings of different models (their layer tables differ).
    public init(a: (label: String, records: [EventRecord]), b: (label: String, records: [EventRecord])) throws(ComparisonError) {
        var runs: [Run] = []
        for (label, records) in [a, b] {
            let state = records.reduce(DashboardState()) { DashboardReducer.update($0, .engine($1)).0 }
            guard let session = state.session else {
                throw ComparisonError(description: "\(TerminalText.sanitized(label)): the recording has no session_started event")
            }
            runs.append(Run(label: label, session: session, state: state))
        }
        if let difference = Self.modelDifference(runs[0].session, runs[1].session) {
            throw ComparisonError(description: "\(TerminalText.sanitized(a.label)) and \(TerminalText.sanitized(b.label)) are recordings of different models: \(difference)")
        }
        self.runs = runs
        rows = Self.align(runs[0].session.units, runs[1].session.units)
    }

    /// Why two sessions are not of one model, or nil: the same layers (names,
    /// kinds, parameter counts) in the same order, whatever their units.
    static func modelDifference(_ a: SessionInfo, _ b: SessionInfo) -> String? {
        if a.layers.count != b.layers.count { return "\(a.layers.count) layers against \(b.layers.count)" }
        for (x, y) in zip(a.layers, b.layers) where x.name != y.name || x.kind != y.kind || x.params != y.params {
            return "layer \(TerminalText.sanitized(x.name)) (\(x.kind), \(x.params) parameters) against \(TerminalText.sanitized(y.name)) (\(y.kind), \(y.params) parameters)"
        }
        return nil
    }

    /// Rows of units covering the same layers, in order: a row closes where both
    /// runs have covered the same number of layers.
    static func align(_ a: [UnitInfo], _ b: [UnitInfo]) -> [Row] {
        var rows: [Row] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            var ua: [Int] = [], ub: [Int] = []
            var la = 0, lb = 0
            repeat {
                if (la <= lb || j >= b.count) && i < a.count { la += a[i].layers.count; ua.append(i); i += 1 }
                else if j < b.count { lb += b[j].layers.count; ub.append(j); j += 1 }
                else { break }
            } while la != lb && (i < a.count || j < b.count)
            // Parameter-free units (none so far) or ragged ends still make a row.
            let name = ua.count == 1 ? a[ua[0]].name : ub.count == 1 ? b[ub[0]].name : (ua.first.map { a[$0].name } ?? "")
            rows.append(Row(units: [ua, ub], name: name))
        }
        return rows
    }

    /// The final loss of run `r` in `row` when the row is one of its units.
    public func finalLoss(run r: Int, row: Row) -> Double? {
        row.units[r].count == 1 ? runs[r].units[row.units[r][0]].lossAfter : nil
    }

    /// B's final loss relative to A's, in percent (−60: B's loss is 60 % lower).
    public func difference(_ row: Row) -> Double? {
        guard let a = finalLoss(run: 0, row: row), let b = finalLoss(run: 1, row: row), a > 0, a.isFinite, b.isFinite else { return nil }
        return 100 * (b - a) / a
    }

    public var top1: [Double?] { runs.map { $0.state.quantizedTop1 } }

    /// B's top-1 minus A's in percentage points (recordings give a fraction or a percentage, as `NumberFormat.percent` reads them).
    public var top1Difference: Double? {
        guard let a = top1[0], let b = top1[1] else { return nil }
        func points(_ v: Double) -> Double { v <= 1 ? v * 100 : v }
        return points(b) - points(a)
    }
    public var fpTop1: Double? { runs.compactMap { $0.state.fpTop1 }.first }

    /// The headless form: one line per row, then the accuracies.
    public func table() -> String {
        func loss(_ v: Double?) -> String { v.map(NumberFormat.loss) ?? "-" }
        var lines = ["A: \(TerminalText.sanitized(runs[0].label)) (\(runs[0].title))",
                     "B: \(TerminalText.sanitized(runs[1].label)) (\(runs[1].title))", ""]
        let nameWidth = max(4, rows.map { $0.name.count }.max() ?? 4)
        func pad(_ s: String, _ w: Int, right: Bool = true) -> String {
            s.count >= w ? s : right ? String(repeating: " ", count: w - s.count) + s : s + String(repeating: " ", count: w - s.count)
        }
        lines.append("\(pad("unit", nameWidth, right: false))  \(pad("A before", 9)) \(pad("A after", 9))  \(pad("B before", 9)) \(pad("B after", 9))  \(pad("B-A", 7))")
        for row in rows {
            func before(_ r: Int) -> String {
                row.units[r].count == 1 ? loss(runs[r].units[row.units[r][0]].lossBefore) : "\(row.units[r].count) units"
            }
            func after(_ r: Int) -> String { row.units[r].count == 1 ? loss(finalLoss(run: r, row: row)) : "-" }
            let diff = difference(row).map { String(format: "%+.0f%%", $0) } ?? "-"
            lines.append("\(pad(TerminalText.sanitized(row.name), nameWidth, right: false))  \(pad(before(0), 9)) \(pad(after(0), 9))  \(pad(before(1), 9)) \(pad(after(1), 9))  \(pad(diff, 7))")
        }
        lines.append("")
        let t = top1.map { $0.map(NumberFormat.percent) ?? "-" }
        var accuracy = "top-1: A \(t[0])  B \(t[1])"
        if let points = top1Difference { accuracy += String(format: "  B-A %+.2f points", points) }
        if let fp = fpTop1 { accuracy += "  (FP \(NumberFormat.percent(fp)))" }
        lines.append(accuracy)
        return lines.joined(separator: "\n")
    }
}

/// Why two recordings cannot be compared, in one line.
public struct ComparisonError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
