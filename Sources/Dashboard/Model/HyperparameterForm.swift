import Quantization

/// The hyperparameter editor: text per field so a half-typed number ("1e-") can
/// exist while the user types; it becomes a `Hyperparameters` only on apply.
public struct HyperparameterForm: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case roundWeight, learningRate, betaStart, betaEnd, warmup, batchSize, p, loss, qdrop, restartCurrent

        public var label: String {
            switch self {
            case .roundWeight: "λ round weight"
            case .learningRate: "lr (AdaRound α)"
            case .betaStart: "β start"
            case .betaEnd: "β end"
            case .warmup: "warm-up fraction"
            case .batchSize: "batch size"
            case .p: "L_p exponent p"
            case .loss: "loss"
            case .qdrop: "QDrop probability"
            case .restartCurrent: "restart current unit"
            }
        }

        /// Loss and restart are toggles, the rest take typed numbers.
        public var isToggle: Bool { self == .loss || self == .restartCurrent }
    }

    public var base: Hyperparameters
    public var texts: [Field: String]
    public var loss: Hyperparameters.Loss
    public var restartCurrent = false
    public var selected: Field = .roundWeight
    /// The first key typed into a freshly selected field replaces its text.
    public var replaceOnType = true
    /// The parse or validation problem of the current texts, shown under the form.
    public var error: String?

    public init(_ h: Hyperparameters) {
        base = h
        loss = h.loss
        texts = [
            .roundWeight: Self.format(h.roundWeight), .learningRate: Self.format(h.learningRate),
            .betaStart: Self.format(h.betaStart), .betaEnd: Self.format(h.betaEnd),
            .warmup: Self.format(h.warmup), .batchSize: String(h.batchSize),
            .p: Self.format(h.p), .qdrop: Self.format(h.qdrop),
        ]
        error = nil
    }

    public func text(_ field: Field) -> String {
        switch field {
        case .loss: loss.rawValue
        case .restartCurrent: restartCurrent ? "yes" : "no"
        default: texts[field] ?? ""
        }
    }

    /// The edited hyperparameters, or the first problem with them.
    public func parsed() -> Result<Hyperparameters, FormError> {
        var h = base
        func number(_ f: Field) throws(FormError) -> Double {
            guard let v = Double(texts[f] ?? ""), v.isFinite else { throw FormError("\(f.label): not a number") }
            return v
        }
        do throws(FormError) {
            h.roundWeight = try number(.roundWeight)
            h.learningRate = try number(.learningRate)
            h.betaStart = try number(.betaStart)
            h.betaEnd = try number(.betaEnd)
            h.warmup = try number(.warmup)
            guard let batch = Int(texts[.batchSize] ?? "") else { throw FormError("batch size: not a whole number") }
            h.batchSize = batch
            h.p = try number(.p)
            h.qdrop = try number(.qdrop)
        } catch {
            return .failure(error)
        }
        h.loss = loss
        if let message = h.validationError() { return .failure(FormError(message)) }
        return .success(h)
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        return "\(v)"
    }
}

public struct FormError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
