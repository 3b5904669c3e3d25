import ArgumentParser
import Foundation
import Tensor

/// `brecq bench kernels`: sgemm and convolution throughput, and the active BLAS kernel.
///
/// Convolution figures are quoted as ratios to sgemm from the same run, because
/// this machine's absolute speed swings with whatever else shares its cores;
/// each ratio is the median over back-to-back (sgemm, conv) pairs.
struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "sgemm and conv2d GFLOP/s (ResNet-20 shapes on 28×28, batch 32) and the BLAS kernel in use."
    )

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .long, parsing: .unconditional, help: "Timed repeats per measurement (1–1000); the median is reported.")
    var repeats = 7

    @Option(name: .long, parsing: .unconditional, help: "Minimum seconds per timed repeat, 0–60 (short kernels are looped).")
    var minSeconds = 0.05

    @Option(name: .long, parsing: .unconditional, help: "Convolution column-matrix budget in bytes, 1 B–1 TiB (default: the library's).")
    var columnBudget: Int?

    @Flag(name: .long, help: "Also time ResNet-18's 3×3 convs of block1 (64 ch, 56×56) and block8 (512 ch, 7×7), batch 32.")
    var imagenetShapes = false

    @OptionGroup var kernels: KernelChoiceFlags

    func validate() throws {
        try FlagRange.check(repeats, "--repeats", 1...1000)
        try FlagRange.check(minSeconds, "--min-seconds", 0...60)
        if let columnBudget { try FlagRange.check(columnBudget, "--column-budget", 1...(1 << 40)) }
    }

    func run() throws {
        if let problem = BLAS.loadError { throw ValidationError(problem) }
        try kernels.apply()
        let timer = KernelTimer(repeats: repeats, minSeconds: minSeconds)
        let problem = KernelBenchmarks.SgemmProblem(size: 1024)
        let sgemm = KernelBenchmarks.sgemm(problem, timer: timer)
        let shapes = KernelBenchmarks.standardConvShapes + (imagenetShapes ? KernelBenchmarks.imagenetConvShapes : [])
        let convs = shapes.map {
            KernelBenchmarks.conv($0, timer: timer, sgemm: problem, columnBudget: columnBudget)
        }
        let report = KernelBenchReport(
            blasKernel: BLAS.coreName, blasThreads: BLAS.threads, convKernels: ConvInstructionSet.active.name,
            workers: Workers.count,
            openblasCoretype: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
            sgemmGflops: sgemm, convs: convs, repeats: repeats)
        if json {
            print(try report.jsonString())
        } else {
            print(report.table())
        }
    }
}
