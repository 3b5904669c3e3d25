import Foundation
import Tensor

/// Times a closure: warm-up, then `repeats` timed runs of enough iterations to
/// last `minSeconds`, reporting the median seconds per iteration.
struct KernelTimer {
    var repeats: Int
    var minSeconds: Double

    func medianSeconds(_ body: () -> Void) -> Double {
        let iterations = calibrate(body)
        return median((0..<repeats).map { _ in elapsed(iterations, body) / Double(iterations) })
    }

    /// Times `reference` and `subject` in alternation and returns, per pair,
    /// the subject's time and the reference's time. On a shared machine the
    /// load changes from second to second; a ratio of two measurements taken
    /// back to back is far steadier than a ratio of two separate medians.
    func pairedSeconds(reference: () -> Void, subject: () -> Void) -> [(reference: Double, subject: Double)] {
        let ri = calibrate(reference), si = calibrate(subject)
        return (0..<repeats).map { _ in
            let r = elapsed(ri, reference) / Double(ri)
            let s = elapsed(si, subject) / Double(si)
            return (r, s)
        }
    }

    /// Warm-up (first-touch page faults, BLAS thread start-up, workspace
    /// growth), then the iteration count that makes one repeat last `minSeconds`.
    private func calibrate(_ body: () -> Void) -> Int {
        body(); body()
        var iterations = 1
        while true {
            let t = elapsed(iterations, body)
            if t >= minSeconds || iterations >= 1 << 16 { return iterations }
            iterations = max(iterations * 2, Int((minSeconds / max(t, 1e-6)) * Double(iterations) * 1.2))
        }
    }

    private func elapsed(_ iterations: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

struct ConvShape: Sendable {
    var name: String
    var batch: Int, channels: Int, size: Int, kernel: Int, stride: Int, groups: Int
}

struct ConvResult: Codable {
    var name: String
    var shape: String
    var fwdGflops: Double
    var fwdbwdGflops: Double
    var fwdRatio: Double
    var fwdbwdRatio: Double
    var fwdMilliseconds: Double
    var fwdbwdMilliseconds: Double
}

enum KernelBenchmarks {
    /// ResNet-20-style stages on 28×28 Fashion-MNIST input, batch 32, plus a
    /// MobileNet-style depthwise 3×3 at 96 channels.
    static let standardConvShapes: [ConvShape] = [
        ConvShape(name: "conv16", batch: 32, channels: 16, size: 28, kernel: 3, stride: 1, groups: 1),
        ConvShape(name: "conv32", batch: 32, channels: 32, size: 14, kernel: 3, stride: 1, groups: 1),
        ConvShape(name: "conv64", batch: 32, channels: 64, size: 7, kernel: 3, stride: 1, groups: 1),
        ConvShape(name: "depthwise96", batch: 32, channels: 96, size: 14, kernel: 3, stride: 1, groups: 96),
    ]

    /// The 3×3 convolutions of ResNet-18's first block (64 channels, 56×56)
    /// and last block (512 channels, 7×7) at 224×224 input, batch 32.
    static let imagenetConvShapes: [ConvShape] = [
        ConvShape(name: "resnet18_block1", batch: 32, channels: 64, size: 56, kernel: 3, stride: 1, groups: 1),
        ConvShape(name: "resnet18_block8", batch: 32, channels: 512, size: 7, kernel: 3, stride: 1, groups: 1),
    ]

    /// Square sgemm operands, kept for the whole run so that the interleaved
    /// reference measurements reuse them.
    final class SgemmProblem {
        let n: Int
        var a: [Float], b: [Float], c: [Float]
        var flops: Double { 2 * Double(n) * Double(n) * Double(n) }
        init(size n: Int) {
            self.n = n
            var rng = Xoshiro256StarStar(seed: 1)
            a = [Float](repeating: 0, count: n * n); b = a; c = a
            rng.fillUniform(&a, low: -1, high: 1)
            rng.fillUniform(&b, low: -1, high: 1)
        }
        func run() {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.sgemm(m: n, n: n, k: n, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n,
                                   c: pc.baseAddress!, ldc: n)
                    }
                }
            }
        }
    }

    static func sgemm(_ problem: SgemmProblem, timer: KernelTimer) -> Double {
        problem.flops / timer.medianSeconds { problem.run() } / 1e9
    }

    static func conv(_ s: ConvShape, timer: KernelTimer, sgemm: SgemmProblem, columnBudget: Int? = nil) -> ConvResult {
        var rng = Xoshiro256StarStar(seed: 2)
        let params = Conv2DParameters(stride: s.stride, padding: s.kernel / 2, groups: s.groups)
        var x = Tensor(zeros: [s.batch, s.channels, s.size, s.size])
        var w = Tensor(zeros: [s.channels, s.channels / s.groups, s.kernel, s.kernel])
        rng.fillUniform(&x.data, low: -1, high: 1)
        rng.fillUniform(&w.data, low: -1, high: 1)
        let bias = [Float](repeating: 0.1, count: s.channels)
        let flops = Conv2D.forwardFlops(inputShape: x.shape, weightShape: w.shape, parameters: params)
        var y = Tensor(zeros: [0]), dx = Tensor(zeros: [0]), dw = Tensor(zeros: [0]), db: [Float] = []
        var workspace = Conv2DWorkspace()
        if let columnBudget { workspace.columnBudgetBytes = columnBudget }
        Conv2D.forward(input: x, weight: w, bias: bias, parameters: params, output: &y, workspace: &workspace)
        var dy = Tensor(zeros: y.shape)
        rng.fillUniform(&dy.data, low: -1, high: 1)
        let fwdPairs = timer.pairedSeconds(reference: sgemm.run) {
            Conv2D.forward(input: x, weight: w, bias: bias, parameters: params, output: &y, workspace: &workspace)
        }
        let fwdbwdPairs = timer.pairedSeconds(reference: sgemm.run) {
            Conv2D.forward(input: x, weight: w, bias: bias, parameters: params, output: &y, workspace: &workspace)
            Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: params,
                            gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &workspace)
        }
        let fwd = median(fwdPairs.map(\.subject)), fwdbwd = median(fwdbwdPairs.map(\.subject))
        let fwdG = flops / fwd / 1e9, fwdbwdG = 3 * flops / fwdbwd / 1e9
        // Ratio of conv FLOP rate to sgemm FLOP rate, per back-to-back pair.
        let fwdRatio = median(fwdPairs.map { (flops / $0.subject) / (sgemm.flops / $0.reference) })
        let fwdbwdRatio = median(fwdbwdPairs.map { (3 * flops / $0.subject) / (sgemm.flops / $0.reference) })
        return ConvResult(
            name: s.name,
            shape: "\(s.batch)x\(s.channels)x\(s.size)x\(s.size) \(s.kernel)x\(s.kernel) s\(s.stride)" + (s.groups > 1 ? " g\(s.groups)" : ""),
            fwdGflops: fwdG, fwdbwdGflops: fwdbwdG,
            fwdRatio: fwdRatio, fwdbwdRatio: fwdbwdRatio,
            fwdMilliseconds: fwd * 1e3, fwdbwdMilliseconds: fwdbwd * 1e3)
    }
}

/// Encoded with snake_case keys (`sgemmGflops` → `sgemm_gflops`), flat for
/// the headline figures (the 16-channel shape), so scripts can read them
/// without knowing the shape list.
struct KernelBenchReport: Encodable {
    var blasKernel: String
    var blasThreads: Int
    var convKernels: String
    var workers: Int
    var openblasCoretype: String?
    var sgemmGflops: Double
    var convFwdGflops: Double
    var convFwdbwdGflops: Double
    var convFwdRatio: Double
    var convFwdbwdRatio: Double
    var repeats: Int
    var shapes: [ConvResult]

    init(blasKernel: String, blasThreads: Int, convKernels: String, workers: Int, openblasCoretype: String?, sgemmGflops: Double, convs: [ConvResult], repeats: Int) {
        self.blasKernel = blasKernel
        self.blasThreads = blasThreads
        self.convKernels = convKernels
        self.workers = workers
        self.openblasCoretype = openblasCoretype
        self.sgemmGflops = sgemmGflops
        let head = convs[0]
        (convFwdGflops, convFwdbwdGflops, convFwdRatio, convFwdbwdRatio) = (head.fwdGflops, head.fwdbwdGflops, head.fwdRatio, head.fwdbwdRatio)
        self.repeats = repeats
        self.shapes = convs
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        var lines = [
            "BLAS: OpenBLAS kernel \(blasKernel), \(blasThreads) thread(s)"
                + (openblasCoretype.map { " (OPENBLAS_CORETYPE=\($0))" } ?? ""),
            "convolution kernels: \(convKernels), \(workers) worker(s)",
            "sgemm 1024³: \(f(sgemmGflops)) GFLOP/s   (median of \(repeats))",
            "",
            "conv2d                          fwd GFLOP/s  ratio   fwd+bwd GFLOP/s  ratio",
        ]
        for c in shapes {
            lines.append(c.shape.padding(toLength: 32, withPad: " ", startingAt: 0)
                + f(c.fwdGflops).leftPadded(11) + f(c.fwdRatio, 2).leftPadded(7)
                + f(c.fwdbwdGflops).leftPadded(17) + f(c.fwdbwdRatio, 2).leftPadded(7))
        }
        lines.append("")
        lines.append("fwd+bwd = forward + input and weight gradients (3× forward FLOPs); ratio = median over back-to-back (sgemm, conv) pairs of conv GFLOP/s ÷ sgemm GFLOP/s.")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
