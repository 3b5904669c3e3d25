import Network
import Tensor

/// The Fisher information of the network's output distribution pulled back to
/// a unit's output, for the mixed-precision search: how much a perturbation Δz
/// of the unit's output (everything else FP) moves the network's prediction.
///
/// For one image with FP logits → p = softmax, and J = ∂logits/∂z at the FP
/// point, KL(p ‖ softmax(logits(z + Δz))) = ½ Δzᵀ F Δz + O(‖Δz‖³) with
/// F = Jᵀ (diag p − p pᵀ) J (the gradient of the KL is zero there, and the
/// Hessian's other term is weighted by q − p = 0). F is stored as weighted
/// directions: F = Σ_c p_c g_c g_cᵀ with g_c = ∂log p_c/∂z = Jᵀ(e_c − p), one
/// backward pass through the rest of the network per class. So
/// `error(Δz) = ½ Σ_j w_j (g_j · Δz)²` is the second-order estimate of the KL
/// the analyser's isolated sensitivity measures exactly, cross-terms between
/// output elements included (a per-element diagonal cannot see them: a
/// convolution's rounding error is spatially correlated, and whether it moves
/// the prediction depends on its direction, not only its size).
///
/// With few classes (≤ 16) every class is a direction (w = p_c: exact). With
/// many (ImageNet's 1 000), or when that would not fit `byteBudget`, 4 (or
/// fewer) classes per image are drawn from p with a seeded generator (w = 1/4):
/// the unbiased Monte Carlo estimate of the same F (the "true" Fisher, not the
/// empirical one: no labels are needed).
///
/// Why not BRECQ's reconstruction weights (`FisherWeights`): those take the
/// gradient of the KL at a quantized point, scaled by 1/32 and damped by +1,
/// which makes them 1 + O(1e-5) on the bundled models — the block-output MSE,
/// which grows with depth and does not rank layers across blocks
/// (docs/analysis.md).
struct OutputFisher {
    /// Directions per image, in image order: `[images × directionsPerImage, per]` rows.
    private let directions: [Float]
    /// w_j of each direction row.
    private let weights: [Float]
    let images: Int
    let directionsPerImage: Int
    /// Elements of one image's unit output.
    let per: Int

    /// Every class is a direction when there are at most this many (exact).
    static let defaultMaxDirections = 16
    /// Directions sampled per image when there are more classes: each is a
    /// backward pass of the rest of the network per image and unit (ResNet-18's
    /// search on 4 images spent 7 s more with 16 than with none, so ~7 min on
    /// 256), and averaged over the images few draws suffice (`OutputFisherTests`:
    /// 3 draws of 5 classes on 64 images are within 15 % of the exact F).
    static let sampledDirections = 4
    /// Largest store of directions (images × directions × elements × 4 bytes).
    static let byteBudget = 1 << 30

    /// Directions for `fpOutputs` (the unit's FP outputs `[N, …]`), back-propagated
    /// through nodes `rest` of `graph` (empty: the unit's output is the logits).
    init(graph: Graph, rest: Range<Int>, fpOutputs: Tensor, maxDirections: Int = defaultMaxDirections,
         seed: UInt64 = 0x5EED_F15E) {
        let n = fpOutputs.shape[0]
        let per = fpOutputs.count / max(n, 1)
        let executor = rest.isEmpty ? nil : GraphExecutor(graph: graph, nodes: rest, retainsIntermediates: true)
        let batch = 32
        var random = Xoshiro256StarStar(seed: seed)
        var noQDrop = Xoshiro256StarStar(seed: 0)
        var directions: [Float] = []
        var weights: [Float] = []
        var perImage = 0
        var start = 0
        while start < n {
            let end = min(n, start + batch), b = end - start
            let logits: Tensor
            if let executor {
                executor.setInput(batch: b) { dst in
                    fpOutputs.data.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress! + start * per, count: b * per) }
                }
                executor.forward(random: &noQDrop)
                logits = executor.output
            } else {
                logits = QuantizationSession.rows(of: fpOutputs, start..<end)
            }
            let classes = logits.count / b
            if perImage == 0 {
                perImage = Self.directionCount(classes: classes, images: n, per: per, maxDirections: maxDirections)
                directions.reserveCapacity(n * perImage * per)
                weights.reserveCapacity(n * perImage)
            }
            let p = Softmax.forward(logits: logits).data
            let exact = perImage >= classes
            // chosen[i * perImage + k]: the class of image i's k-th direction.
            var chosen = [Int](repeating: 0, count: b * perImage)
            var batchWeights = [Float](repeating: 0, count: b * perImage)
            for i in 0..<b {
                for k in 0..<perImage {
                    if exact {
                        chosen[i * perImage + k] = k
                        batchWeights[i * perImage + k] = p[i * classes + k]
                    } else {
                        chosen[i * perImage + k] = Self.sample(p[(i * classes)..<((i + 1) * classes)], random: &random)
                        batchWeights[i * perImage + k] = 1 / Float(perImage)
                    }
                }
            }
            // One backward pass per direction slot k, all images of the batch at once.
            var gradients: [[Float]] = []
            for k in 0..<perImage {
                var seedRows = [Float](repeating: 0, count: b * classes)
                for i in 0..<b {
                    for c in 0..<classes { seedRows[i * classes + c] = -p[i * classes + c] }
                    seedRows[i * classes + chosen[i * perImage + k]] += 1
                }
                if let executor {
                    gradients.append(executor.backward(outputGradient: { g in
                        seedRows.withUnsafeBufferPointer { g.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                    }, computeInputGradient: true)?.data ?? [Float](repeating: 0, count: b * per))
                } else {
                    gradients.append(seedRows)
                }
            }
            for i in 0..<b {
                for k in 0..<perImage {
                    directions.append(contentsOf: gradients[k][(i * per)..<((i + 1) * per)])
                    weights.append(batchWeights[i * perImage + k])
                }
            }
            start = end
        }
        self.directions = directions
        self.weights = weights
        self.images = n
        self.directionsPerImage = perImage
        self.per = per
    }

    /// Directions per image: every class when they fit, else as many samples as
    /// fit the budget (at most `maxDirections`, at least one).
    static func directionCount(classes: Int, images: Int, per: Int, maxDirections: Int = defaultMaxDirections) -> Int {
        let (elements, overflow1) = max(1, images).multipliedReportingOverflow(by: max(1, per))
        let (bytesPerDirection, overflow2) = elements.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        let fitting = overflow1 || overflow2 ? 1 : max(1, byteBudget / bytesPerDirection)
        let wanted = classes <= maxDirections ? classes : min(sampledDirections, maxDirections)
        return max(1, min(wanted, fitting))
    }

    /// A class drawn from the distribution `p` (inverse CDF on a 24-bit uniform).
    private static func sample(_ p: ArraySlice<Float>, random: inout Xoshiro256StarStar) -> Int {
        let u = Float(random.next() >> 40) / Float(1 << 24)
        var cumulative: Float = 0
        for (offset, value) in p.enumerated() {
            cumulative += value
            if u < cumulative { return offset }
        }
        return p.count - 1
    }

    /// ½ Σ_j w_j (g_j · Δz)² summed over images `first..<first + count`, where
    /// `deviation` holds their Δz rows (`count × per`).
    func error(images first: Int, deviation: UnsafeBufferPointer<Float>) -> Double {
        let count = deviation.count / per
        precondition(first + count <= images, "deviation rows past the stored images")
        var total = 0.0
        directions.withUnsafeBufferPointer { d in
            for i in 0..<count {
                let dz = deviation.baseAddress! + i * per
                for k in 0..<directionsPerImage {
                    let row = (first + i) * directionsPerImage + k
                    let dot = Self.dot(d.baseAddress! + row * per, dz, per)
                    total += Double(weights[row]) * dot * dot
                }
            }
        }
        return total / 2
    }

    /// Dot product with four independent accumulators (vectorisable; Double at the end).
    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i + 4 <= n {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < n { s0 += a[i] * b[i]; i += 1 }
        return Double(s0) + Double(s1) + Double(s2) + Double(s3)
    }
}
