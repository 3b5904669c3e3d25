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
