import Quantization

/// What an observer may ask of a running session. Commands are applied between
/// iterations; an invalid one is answered with an error `Message` event.
public enum EngineCommand: Sendable, Equatable {
    case pause
    case resume
    case stop
    /// Iterations for the running unit (nil: unchanged) and for units not yet started (nil: unchanged).
    case setIterations(current: Int?, default: Int?)
    /// Sets and locks a layer's bits; a locked layer is never changed by the search.
    case lock(layer: String, wbits: Int, abits: Int)
    case unlock(layer: String)
    /// Applies to units not yet started; with `restartCurrent` the running unit restarts with them.
    case setHyperparameters(Hyperparameters, restartCurrent: Bool)
    case restartUnit
    /// Re-runs unit `unit` (a finished one, or the running one: a restart) and
    /// every unit after it: what those units learnt is discarded, the earlier
    /// units keep their results (see `SessionWorker+Rewind`).
    case rewind(unit: Int)
    /// Finishes the running unit with round-to-nearest weights.
    case skipUnit
    case evaluate(images: Int)
    case startSearch
    /// Writes the finished run checkpointed in `checkpoint` as QDQ ONNX to `output`
    /// (encodings beside it), off the engine thread and the caller's; answered by
    /// `EngineEvent.exportFinished`. Valid once the run is done (and after its thread ended).
    case export(checkpoint: String, output: String)
}
