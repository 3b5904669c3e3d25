import Engine
import Network
import Quantization

/// Everything the dashboard shows, built only from engine events and keys.
/// `DashboardReducer.update` is the only code that changes it and
/// `DashboardView.render` the only code that reads it for drawing.
public struct DashboardState: Sendable, Equatable {
    public var mode: RunMode
    public var size: TerminalSize

    // Session, as the engine reported it.
    public var session: SessionInfo?
    public var runState: RunState = .starting
    public var units: [UnitProgress] = []
    public var layers: [LayerInfo] = []
    public var hyperparameters = Hyperparameters()
    /// Iterations for units not yet started.
    public var defaultIterations = 0
    public var currentUnit: Int?
    public var currentPhase: UnitPhase = .weights
    public var currentIteration = 0
    public var currentIterations = 0
    public var iterationsPerSecond = 0.0
    /// β of the rounding regulariser at the latest iteration.
    public var currentBeta: Double?
    /// Slow work outside the iterations the engine reported last (decoding, preparing a unit);
    /// dropped at the event it leads to (see `EngineEventReducer`).
    public var progress: StageProgress?
    /// The engine's latest estimate of the rest of the run (nil before its first).
    public var estimate: RunEstimate?
    public var search: SearchProgress?
    /// The sensitivity measurement of the latest search request (before and while it runs).
    public var sensitivity: SensitivityStatus?
    public var fpTop1: Double?
    public var quantizedTop1: Double?
    public var lastCheckpoint: CheckpointWritten?
    /// The latest per-layer analysis (the Analysis page).
    public var analysis: AnalysisUpdate?
    /// Row selected on the Analysis page (worst first).
    public var analysisSelection = 0
    public var summary: RunSummary?
    /// The last error the engine reported; shown in the header until the run ends.
    public var engineError: String?
    public var log = LogRing()

    // Clocks: session seconds from event records, monotonic seconds from ticks.
    public var sessionTime = 0.0
    public var now = 0.0
    /// Monotonic time at which the newest event arrived; elapsed time runs on from it.
    public var lastEventArrival = 0.0

    // Interaction.
    public var focus: Panel = .units
    public var selectedUnit = 0
    /// The selection follows the running unit until the user moves it elsewhere.
    public var followRunning = true
    public var selectedLayer = 0
    /// Lines scrolled back from the newest log entry.
    public var logScroll = 0
    public var overlay: Overlay?
    /// Lines scrolled in the teaching overlay (its text may be longer than a small terminal).
    public var overlayScroll = 0
    public var logScale = false
    public var themeNames: [String]
    public var themeIndex = 0
    /// Stop was sent on quit; the UI leaves once the engine confirms (checkpoint written).
    public var quitPending = false
    public var notice: Notice?
    /// Images the `v` key asks the engine to evaluate on.
    public var evaluationImages: Int

    /// Iterations asked for by `+`/`-` that the engine has not confirmed yet;
    /// the next step starts from these, so quick presses add up.
    public var pendingIterations: PendingIterations?
    /// What the quantized accuracy in the header was measured on (a partial model says so).
    public var quantizedSubject: EvaluationSubject?
    /// Session time at which the current pause began (nil: not paused).
    public var pausedSince: Double?
    /// Session seconds spent paused before the current pause.
    public var pausedBefore = 0.0
    /// Where `o` proposes to write an export when the checkpoint's own directory is unknown
    /// (absolute; the app fills it from $XDG_DATA_HOME); nil: beside the checkpoint.
    public var exportDirectory: String?

    public init(mode: RunMode = .live, size: TerminalSize = .minimum, themeNames: [String] = [], themeIndex: Int = 0,
                evaluationImages: Int = 1000) {
        self.mode = mode
        self.evaluationImages = evaluationImages
        self.size = size
        self.themeNames = themeNames
        self.themeIndex = themeIndex
    }

    /// Whether the engine is still working, so quitting needs confirmation.
    public var isActive: Bool {
        switch runState {
        case .starting, .calibrating, .running, .paused, .searching, .evaluating: true
        case .done, .stopped, .error: false
        }
    }

    /// Seconds spent paused so far, the running pause included.
    public var pausedTotal: Double { pausedBefore + (pausedSince.map { max(0, elapsed - $0) } ?? 0) }

    /// Seconds in the current pause; nil when not paused.
    public var pausedFor: Double? { runState == .paused ? pausedSince.map { max(0, elapsed - $0) } : nil }

    public var unitsDone: Int { units.filter { $0.status == .done || $0.status == .skipped }.count }

    /// Wall seconds since the session started, paused time included (the
    /// header says how much of it was paused); runs on between events while
    /// the engine works or waits paused.
    public var elapsed: Double {
        guard !mode.isReplay, isActive, lastEventArrival > 0 else { return sessionTime }
        return sessionTime + max(0, now - lastEventArrival)
    }

    /// Remaining seconds: the rest of this unit at the current throughput plus
    /// every later unit and the final evaluation at the engine's estimate; before
    /// the first estimate, every pending unit at the default iterations (and the
    /// activation phase when it runs) at the current throughput.
    public var eta: Double? {
        guard iterationsPerSecond > 0, isActive, runState != .searching else { return nil }
        let activationIterations = session.map { $0.abits < 32 ? $0.activationIterations : 0 } ?? 0
        let pending = units.filter { $0.status == .pending }.count
        let thisUnit = max(0, currentIterations - currentIteration)
            + (currentPhase == .weights && currentUnit != nil ? activationIterations : 0)
        // The units after this one at the engine's estimate of each: a 512-channel 7×7
        // block does not run at the 64-channel 56×56 block's rate.
        if let estimate {
            let after = currentUnit ?? units.lastIndex { $0.status == .done || $0.status == .skipped } ?? -1
            return Double(thisUnit) / iterationsPerSecond + estimate.seconds(after: after)
        }
        let rest = pending * (defaultIterations + activationIterations)
        return Double(thisUnit + rest) / iterationsPerSecond
    }

    public var selectedLayerInfo: LayerInfo? {
        layers.indices.contains(selectedLayer) ? layers[selectedLayer] : nil
    }
}

/// A `+`/`-` request in flight: the values sent, for the unit they were sent for.
public struct PendingIterations: Sendable, Equatable {
    public var unit: Int?
    public var current: Int?
    public var defaultIterations: Int
    public init(unit: Int?, current: Int?, defaultIterations: Int) {
        self.unit = unit; self.current = current; self.defaultIterations = defaultIterations
    }
}
