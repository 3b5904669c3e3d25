/// The `progress` event: slow work outside a unit's iterations (decoding an
/// image folder, preparing a unit's inputs, the per-layer analysis, writing a
/// checkpoint), so that a front end can say what the engine is doing while no
/// other event comes; at 224×224 each of these takes seconds to minutes.
/// A stage with a count (images) reports `done` of `total` as it goes; one
/// without is `0/1` when it starts and `1/1` when it ends. Published to front
/// ends and viewers but not recorded: a replay has nothing to wait for.
public struct StageProgress: Sendable, Codable, Equatable {
    /// What is being done, e.g. "decoding training images", "preparing" (with `unit`).
    public var stage: String
    public var done: Int
    public var total: Int
    /// The unit the stage is about (preparing it), whose name the front end fits to its width.
    public var unit: Int?

    public init(stage: String, done: Int, total: Int, unit: Int? = nil) {
        self.stage = stage; self.done = done; self.total = total; self.unit = unit
    }

    /// A stage is over once everything it counts is done.
    public var isFinished: Bool { done >= total }
}
