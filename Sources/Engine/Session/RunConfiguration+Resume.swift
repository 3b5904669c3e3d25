import Foundation

extension RunConfiguration {
    /// A setting of a run as the flag that sets it, for naming differences.
    struct Setting: Sendable {
        var flag: String
        /// Changed while a run is steered (iterations, hyperparameters), so a
        /// checkpoint may differ from the flags the run started with.
        var steerable: Bool
        var value: @Sendable (RunConfiguration) -> String
    }

    static let settings: [Setting] = [
        Setting(flag: "--method", steerable: false) { $0.method.rawValue },
        Setting(flag: "--wbits", steerable: false) { "\($0.wbits)" },
        Setting(flag: "--abits", steerable: false) { "\($0.abits)" },
        Setting(flag: "--granularity", steerable: false) { $0.granularity.rawValue },
        Setting(flag: "--calib-size", steerable: false) { "\($0.calibrationSize)" },
        Setting(flag: "--eval-images", steerable: false) { "\($0.evaluationImages)" },
        Setting(flag: "--seed", steerable: false) { "\($0.seed)" },
        Setting(flag: "--cache-precision", steerable: false) { ($0.cachePrecision ?? .auto).rawValue },
        Setting(flag: "stats interval", steerable: false) { "\($0.statsInterval)" },
        Setting(flag: "--iters", steerable: true) { "\($0.iterations)" },
        Setting(flag: "--act-iters", steerable: true) { "\($0.activationIterations)" },
        Setting(flag: "--batch-size", steerable: true) { "\($0.hyperparameters.batchSize)" },
        Setting(flag: "--loss", steerable: true) { $0.hyperparameters.loss.rawValue },
        Setting(flag: "--lr", steerable: true) { "\($0.hyperparameters.learningRate)" },
        Setting(flag: "--qdrop", steerable: true) { "\($0.hyperparameters.qdrop)" },
        Setting(flag: "--round-weight", steerable: true) { "\($0.hyperparameters.roundWeight)" },
    ]

    /// "--wbits 2 differs from the checkpoint's 4" for the first setting in which
    /// this configuration differs from `saved`; steerable settings only when asked.
    public func settingDifference(from saved: RunConfiguration, includingSteerable: Bool) -> String? {
        for s in Self.settings where includingSteerable || !s.steerable {
            let mine = s.value(self), theirs = s.value(saved)
            if mine != theirs { return "\(s.flag) \(mine) differs from the checkpoint's \(theirs)" }
        }
        return nil
    }

    /// The run to continue: `saved`'s settings (as steered until the checkpoint)
    /// with this configuration's paths — model, data, sensitivity cache, latency
    /// table — and search settings, because a checkpoint never chooses where brecq
    /// reads or writes. Refuses a setting that must not change, naming it.
    public func resuming(_ saved: RunConfiguration) throws -> RunConfiguration {
        if let difference = settingDifference(from: saved, includingSteerable: false) {
            throw EngineError(difference)
        }
        var resumed = saved
        resumed.modelPath = modelPath
        resumed.data = data
        resumed.search = search
        return resumed
    }
}
