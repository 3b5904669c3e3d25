import CKernels
import Foundation
import Tensor

/// BRECQ's output reconstruction loss and its gradient.
///
/// `rec = mean over (N, H, W) of Σ_channels |ŷ − y|^p` (the reference's
/// `lp_loss(reduction='none')`: sum over dim 1, mean over the rest); in Fisher
/// mode each squared error is weighted by g², g = |∂KL/∂z| + 1.
enum ReconstructionLoss {
    /// Returns the loss and writes ∂rec/∂ŷ into `gradient` (when given).
    /// `positions`: the N·H·W the mean is over, when `prediction` is a slice of
    /// a larger batch (see `ReconstructionShard`); by default this batch's own.
    static func evaluate(prediction: UnsafeBufferPointer<Float>, target: UnsafeBufferPointer<Float>,
                         fisher: UnsafeBufferPointer<Float>?, p: Float, channels: Int, positions: Int? = nil,
                         gradient: UnsafeMutableBufferPointer<Float>?) -> Double {
        let count = prediction.count
        guard count > 0 else { return 0 }
        let positions = positions ?? count / channels   // N·H·W
        let scale = 1 / Float(positions)
        if fisher != nil || p == 2 {
            // The common case, vectorised (`ck_squared_error`): this pass touches every output element each step.
            return ck_squared_error(ConvInstructionSet.active.rawValue, prediction.baseAddress!, target.baseAddress!,
                                    fisher?.baseAddress, count, scale, gradient?.baseAddress) / Double(positions)
        }
        var total: Double = 0
        var partial: Float = 0
        for i in 0..<count {
            let e = prediction[i] - target[i]
            let a = abs(e)
            let power = a == 0 ? 0 : Foundation.exp2((p - 1) * Foundation.log2(a))
            let value = power * a
            let derivative = e >= 0 ? p * power : -p * power
            partial += value
            gradient?[i] = derivative * scale
            if i & 1023 == 1023 { total += Double(partial); partial = 0 }
        }
        return (total + Double(partial)) / Double(positions)
    }
}
