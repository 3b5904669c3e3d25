import Engine

/// The mixed-precision search as far as its events have told us, and how much
/// of it is on screen. A search can compute all its generations in a few
/// milliseconds; the panel then plays the recorded history back one
/// generation per `revealInterval`, driven by the dashboard's ticks, so a
/// person can follow the best and mean objective falling.
public struct SearchProgress: Sendable, Equatable {
    public var started: SearchStarted
    /// Every generation received, oldest first (bounded by the reducer).
    public var generations: [GenerationStats] = []
    /// How many of `generations` are on screen.
    public var shownCount = 0
    /// Monotonic time of the last reveal.
    public var lastReveal = -Double.infinity
    /// Session seconds of `search_started`: a sensitivity report after it belongs to a newer search.
    public var startTime = 0.0

    /// Seconds each generation stays on screen at least.
    public static let revealInterval = 0.15

    public init(started: SearchStarted) { self.started = started }

    /// The generations on screen.
    public var shown: ArraySlice<GenerationStats> { generations.prefix(shownCount) }
    /// The newest generation on screen: what every view reports.
    public var latest: GenerationStats? { shown.last }
    /// The newest generation the engine has computed.
    public var received: GenerationStats? { generations.last }
    /// Generations received but not yet on screen.
    public var isCatchingUp: Bool { shownCount < generations.count }

    /// Shows the next recorded generation when the last one has been up for `revealInterval`.
    /// Returns whether anything changed.
    @discardableResult
    public mutating func reveal(now: Double) -> Bool {
        guard isCatchingUp, now - lastReveal >= Self.revealInterval else { return false }
        shownCount += 1
        lastReveal = now
        return true
    }

    /// Drops the oldest generations (the reducer bounds memory); those on screen stay counted right.
    mutating func dropOldest(_ n: Int) {
        let n = min(n, generations.count)
        generations.removeFirst(n)
        shownCount = max(0, shownCount - n)
    }

    /// The best configuration on screen as layer counts per weight bit width, e.g. "5×W2 3×W4 4×W8".
    public var bestMix: String? {
        guard let bits = latest?.bestBits, !bits.isEmpty else { return nil }
        let counts = Dictionary(grouping: bits, by: { $0 }).mapValues(\.count)
        return counts.keys.sorted().map { "\(counts[$0]!)×W\($0)" }.joined(separator: " ")
    }

    /// The best configuration's cost in the budget's own terms and the limit in the
    /// same terms, e.g. ("avg bits", "2.99", "3.00"), ("size", "0.74×", "0.75× of W4"), ("BOPs", …).
    public var costLine: (label: String, cost: String, limit: String, fraction: Double)? {
        guard let g = latest else { return nil }
        let fraction = g.budget > 0 ? g.bestCost / g.budget : 0
        let unit = started.unit ?? SearchProgress.unit(ofMeasure: started.measure)
        switch started.budgetKind {
        case "avgbits":
            guard let bits = g.bestAverageBits, let limit = started.budgetAmount else { break }
            return ("avg bits", String(format: "%.2f", bits), String(format: "%.2f", limit), fraction)
        case "relative":
            guard started.uniform4Cost.isFinite, started.uniform4Cost > 0, let limit = started.budgetAmount else { break }
            return ("\(started.measure)", String(format: "%.3f×", g.bestCost / started.uniform4Cost),
                    String(format: "%.3f× of W4", limit), fraction)
        default:
            break
        }
        return (started.measure, NumberFormat.quantity(g.bestCost, unit: unit), NumberFormat.quantity(g.budget, unit: unit), fraction)
    }

    /// The unit of a measure named in a log written before the unit was recorded.
    static func unit(ofMeasure measure: String) -> String {
        switch measure {
        case "size": "bits"
        case "bops": "BOPs"
        case "latency": "µs"
        default: ""
        }
    }
}

/// The sensitivity measurement that precedes a search, as its events report it.
public struct SensitivityStatus: Sendable, Equatable {
    public var progress: SensitivityProgress
    /// Session seconds of the latest report.
    public var time: Double

    public init(progress: SensitivityProgress, time: Double) {
        self.progress = progress
        self.time = time
    }

    public var isComplete: Bool { progress.total > 0 && progress.done >= progress.total }

    /// Whether this measurement belongs to a search newer than `search` (or there is none).
    public func isNewer(than search: SearchProgress?) -> Bool {
        guard let search else { return true }
        return time > search.startTime
    }

    /// Seconds left at the rate so far (nil before the first evaluation).
    public var eta: Double? {
        let p = progress
        guard p.done > 0, p.total > p.done, p.seconds > 0 else { return nil }
        return p.seconds / Double(p.done) * Double(p.total - p.done)
    }
}
