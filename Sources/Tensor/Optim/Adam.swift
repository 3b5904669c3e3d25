import CKernels
import Foundation

/// Adam (Kingma & Ba) with bias correction, updating a parameter array in place.
///
/// One instance per parameter array: the moment buffers are allocated once,
/// at the first step, and reused. The learning rate can change every step
/// because BRECQ's schedules (e.g. the activation-step learning rate) anneal it.
public struct Adam: Sendable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Steps taken so far (the `t` of the bias correction).
    public private(set) var step: Int = 0
    public private(set) var firstMoment: [Float] = []
    public private(set) var secondMoment: [Float] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// `params -= lr · m̂ / (√v̂ + ε)`. `learningRate`, if given, replaces the stored one from now on.
    /// One vectorised C pass per chunk (`ck_adam_update`); `isa` picks the build (tests run each).
    public mutating func update(_ params: inout [Float], gradients: [Float], learningRate newRate: Float? = nil,
                                isa: ConvInstructionSet = .active) {
        precondition(params.count == gradients.count, "Adam: \(params.count) parameters, \(gradients.count) gradients")
        if let newRate { learningRate = newRate }
        if firstMoment.count != params.count {
            precondition(step == 0, "Adam: parameter count changed from \(firstMoment.count) to \(params.count)")
            firstMoment = [Float](repeating: 0, count: params.count)
            secondMoment = [Float](repeating: 0, count: params.count)
        }
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let correction1 = 1 - Float(pow(Double(b1), Double(step)))
        let correction2 = 1 - Float(pow(Double(b2), Double(step)))
        let lr = learningRate / correction1
        let sqrtC2 = correction2.squareRoot()
        gradients.withUnsafeBufferPointer { g in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    params.withUnsafeMutableBufferPointer { p in
                        parallelChunks(p.count, work: p.count) { _, range in
                            let at = range.lowerBound
                            ck_adam_update(isa.rawValue, p.baseAddress! + at, g.baseAddress! + at, m.baseAddress! + at,
                                           v.baseAddress! + at, range.count, b1, b2, lr, sqrtC2, eps)
                        }
                    }
                }
            }
        }
    }

    /// Forgets the moments and step count (e.g. when a unit is restarted).
    public mutating func reset() {
        step = 0
        firstMoment = []
        secondMoment = []
    }
}
