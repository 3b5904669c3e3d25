/// At most one overlay is open; it takes the keys until closed.
public enum Overlay: Sendable, Equatable {
    case help
    /// Plain sentences about the focused panel, for demonstrations.
    case teaching(Panel)
    case quitConfirm
    case hyperparameters(HyperparameterForm)
    case iterations(IterationsForm)
    case export(ExportForm)
    /// A lock that would restart the running unit, waiting for y/n.
    case confirmLock(LockRequest)
    /// A re-run of finished units (with a lock that asks for it, or `r`), waiting for y/n.
    case confirmRewind(RewindRequest)
    /// `g` in a replay: the unit number typed so far.
    case gotoUnit(String)
    /// `d`: the diagram of a unit (its index): layers, skip connection, bits.
    case blockDiagram(Int)
    /// The guided tour at a step (an index of `TourStep.steps`).
    case tour(Int)
}

/// Locking a layer of the running unit at new bits throws away the unit's iterations so far.
public struct LockRequest: Sendable, Equatable {
    public var layer: String
    public var wbits: Int
    public var abits: Int
    public var unit: Int
    public var unitName: String
    /// Iterations done in the unit, lost by the restart.
    public var iterationsDone: Int
    public init(layer: String, wbits: Int, abits: Int, unit: Int, unitName: String, iterationsDone: Int) {
        self.layer = layer; self.wbits = wbits; self.abits = abits
        self.unit = unit; self.unitName = unitName; self.iterationsDone = iterationsDone
    }
}

/// Going back to a finished unit discards what it and every later unit learnt:
/// the confirmation names the units that run again and about how long they took.
public struct RewindRequest: Sendable, Equatable {
    /// The bits a lock asks for; nil for a plain re-run (`r`).
    public struct Lock: Sendable, Equatable {
        public var layer: String
        public var wbits: Int
        public var abits: Int
        public init(layer: String, wbits: Int, abits: Int) { self.layer = layer; self.wbits = wbits; self.abits = abits }
    }
    /// The unit the run goes back to, and the last unit whose work is discarded (the running or last finished one).
    public var unit: Int
    public var unitName: String
    public var lastUnit: Int
    /// Seconds those units took (the running one: so far); nil when a duration is unknown.
    public var seconds: Double?
    public var lock: Lock?
    public init(unit: Int, unitName: String, lastUnit: Int, seconds: Double?, lock: Lock?) {
        self.unit = unit; self.unitName = unitName; self.lastUnit = lastUnit; self.seconds = seconds; self.lock = lock
    }

    /// "units 3–11" or "unit 3" (1-based, as the units list shows them).
    public var unitsText: String { lastUnit > unit ? "units \(unit + 1)–\(lastUnit + 1)" : "unit \(unit + 1)" }
    /// "re-runs units 3–11 (≈ 12m)".
    public var costText: String {
        "re-runs \(unitsText)" + (seconds.map { " (≈ \(NumberFormat.duration($0)))" } ?? "")
    }
}
