import Network
import Tensor

/// The settings that say which run this was, as the `session_started` event
/// and the `--summary` file both record them (flat, beside their own fields).
/// Taken from the `RunConfiguration` the run started with.
public struct RunSettings: Sendable, Codable, Equatable {
    public var model: String
    public var data: String
    public var method: RunConfiguration.Method
    public var wbits: Int
    /// 32 means activations stay in floating point.
    public var abits: Int
    public var granularity: Granularity
    public var iterations: Int
    public var activationIterations: Int
    public var seed: UInt64
    /// `--cache-precision` as given (nil: auto; older recordings have none).
    public var cachePrecision: CachePrecision?

    public init(model: String, data: String, method: RunConfiguration.Method, wbits: Int, abits: Int, granularity: Granularity,
                iterations: Int, activationIterations: Int, seed: UInt64, cachePrecision: CachePrecision? = nil) {
        self.model = model; self.data = data; self.method = method; self.wbits = wbits; self.abits = abits
        self.granularity = granularity; self.iterations = iterations; self.activationIterations = activationIterations
        self.seed = seed
        self.cachePrecision = cachePrecision
    }

    public init(_ configuration: RunConfiguration) {
        self.init(model: configuration.modelPath, data: configuration.data, method: configuration.method,
                  wbits: configuration.wbits, abits: configuration.abits, granularity: configuration.granularity,
                  iterations: configuration.iterations, activationIterations: configuration.activationIterations,
                  seed: configuration.seed, cachePrecision: configuration.cachePrecision)
    }
}
