import Engine
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
    public var search: SearchProgress?
    /// The sensitivity measurement of the latest search request (before and while it runs).
    public var sensitivity: SensitivityStatus?
    public var fpTop1: Double?
    public var quantizedTop1: Double?
    public var lastCheckpoint: CheckpointWritten?
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
    public var logScale = false
    public var themeNames: [String]
    public var themeIndex = 0
    /// Stop was sent on quit; the UI leaves once the engine confirms (checkpoint written).
    public var quitPending = false
    public var notice: Notice?
    /// Images the `v` key asks the engine to evaluate on.
    public var evaluationImages: Int

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

    public var unitsDone: Int { units.filter { $0.status == .done || $0.status == .skipped }.count }

    /// Seconds since the session started; runs on between events while the engine works.
    public var elapsed: Double {
        guard !mode.isReplay, isActive, runState != .paused, lastEventArrival > 0 else { return sessionTime }
        return sessionTime + max(0, now - lastEventArrival)
    }

    /// Remaining seconds at the current throughput: the rest of this unit plus
    /// every pending unit at the default iterations (and the activation phase when it runs).
    public var eta: Double? {
        guard iterationsPerSecond > 0, isActive, runState != .searching else { return nil }
        let activationIterations = session.map { $0.abits < 32 ? $0.activationIterations : 0 } ?? 0
        let pending = units.filter { $0.status == .pending }.count
        let thisUnit = max(0, currentIterations - currentIteration)
            + (currentPhase == .weights && currentUnit != nil ? activationIterations : 0)
        let rest = pending * (defaultIterations + activationIterations)
        return Double(thisUnit + rest) / iterationsPerSecond
    }

    public var selectedLayerInfo: LayerInfo? {
        layers.indices.contains(selectedLayer) ? layers[selectedLayer] : nil
    }
}
