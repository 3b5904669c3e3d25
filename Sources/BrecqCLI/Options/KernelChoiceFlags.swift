import ArgumentParser
import Tensor

/// `--isa` of the bench commands: runs the convolution kernels of a narrower
/// instruction set than the CPU's widest, as `BRECQ_ISA` does for any command
/// (to measure what an AVX2-only CPU gets on an AVX-512 one).
struct KernelChoiceFlags: ParsableArguments {
    @Option(name: .long, help: "Convolution kernels to run: generic, avx2 or avx512 (default: the widest this CPU runs, or BRECQ_ISA).")
    var isa: String?

    func validate() throws {
        if let isa, case .failure(let error) = ConvInstructionSet.parse(isa) { throw ValidationError("--isa: \(error.message)") }
    }

    /// Makes the kernels use `--isa`; call before the first convolution.
    /// Without `--isa`, refuses an unusable `BRECQ_ISA` or `BRECQ_WORKERS`
    /// rather than measuring something other than what was asked for.
    func apply() throws {
        if let problem = (isa == nil ? ConvInstructionSet.environmentProblem : nil) ?? Workers.environmentProblem {
            throw CommandFailure(problem)
        }
        guard let isa, case .success(let set) = ConvInstructionSet.parse(isa) else { return }
        do { try ConvInstructionSet.force(set) } catch { throw CommandFailure("--isa: \(error.message)") }
    }
}
