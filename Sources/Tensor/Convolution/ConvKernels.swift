import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// One instruction-set build of the C convolution kernels and its block sizes.
///
/// `best` is what the library uses: the widest build the CPU runs, or the one
/// `BRECQ_ISA` names (read once). Tests run every build the CPU supports so
/// that the narrower fallbacks are checked on an AVX-512 machine too.
struct ConvKernels: Sendable, CustomStringConvertible {
    let isa: Int32
    let vectorWidth: Int
    let outputBlock: Int
    let tapBlock: Int
    let gradientLanes: Int
    let singleTapBlock: Int

    init(isa: Int32) {
        precondition(isa >= CK_ISA_GENERIC && isa <= ck_best_isa(), "instruction set \(isa) is not supported here")
        self.isa = isa
        let layout = ck_conv_layout(isa)
        vectorWidth = layout.vectorWidth
        outputBlock = layout.outputBlock
        tapBlock = layout.tapBlock
        gradientLanes = layout.gradientLanes
        singleTapBlock = layout.singleTapBlock
    }

    /// The widest build this CPU runs.
    static let detected = ConvKernels(isa: ck_best_isa())

    /// `BRECQ_ISA`'s build when it names one this CPU runs, else `detected`;
    /// an unusable value is said in one line on stderr (the bench commands
    /// refuse it before anything runs).
    static let best: ConvKernels = {
        switch ConvInstructionSet.fromEnvironment() {
        case .success(let chosen?): return ConvKernels(isa: chosen.rawValue)
        case .success(nil): return detected
        case .failure(let error):
            let line = "brecq: \(ConvInstructionSet.environmentVariable): \(error.message); using \(detected)\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
            return detected
        }
    }()

    /// Every build this CPU can run, narrowest first.
    static var supported: [ConvKernels] { (CK_ISA_GENERIC...ck_best_isa()).map(ConvKernels.init(isa:)) }

    var description: String { ConvInstructionSet(rawValue: isa)?.name ?? "generic" }
}

/// The instruction sets the convolution kernels are built for, as a user
/// names them (`BRECQ_ISA=avx2`, `brecq bench kernels --isa avx2`): to measure
/// or test a narrower build on a wider CPU.
public enum ConvInstructionSet: Int32, CaseIterable, Sendable {
    case generic = 0, avx2 = 1, avx512 = 2

    public static let environmentVariable = "BRECQ_ISA"

    public var name: String {
        switch self {
        case .generic: "generic"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// Every set this CPU runs, narrowest first.
    public static var available: [ConvInstructionSet] { allCases.filter { $0.rawValue <= ck_best_isa() } }

    /// The set the kernels use in this process.
    public static var active: ConvInstructionSet { ConvInstructionSet(rawValue: ConvKernels.best.isa) ?? .generic }

    /// `name` as a set this CPU runs, or the one line that says why not.
    public static func parse(_ name: String) -> Result<ConvInstructionSet, ChoiceError> {
        guard let set = ConvInstructionSet(name: name) else {
            return .failure(ChoiceError(message: "unknown instruction set '\(name)'; expected one of "
                + allCases.map(\.name).joined(separator: ", ")))
        }
        guard available.contains(set) else {
            return .failure(ChoiceError(message: "this CPU cannot run the \(name) kernels; it runs "
                + available.map(\.name).joined(separator: ", ")))
        }
        return .success(set)
    }

    /// `BRECQ_ISA` parsed: nil when unset or empty.
    static func fromEnvironment() -> Result<ConvInstructionSet?, ChoiceError> {
        guard let raw = getenv(environmentVariable), raw.pointee != 0 else { return .success(nil) }
        return parse(String(cString: raw)).map { $0 }
    }

    /// One line saying why `BRECQ_ISA` cannot be used, or nil when it is unset or valid.
    public static var environmentProblem: String? {
        guard case .failure(let error) = fromEnvironment() else { return nil }
        return "\(environmentVariable): \(error.message)"
    }

    /// Makes the kernels use `set` in this process. Must run before the first
    /// convolution (the choice is read once); throws if that has already happened.
    public static func force(_ set: ConvInstructionSet) throws(ChoiceError) {
        if case .failure(let error) = parse(set.name) { throw error }
        setenv(environmentVariable, set.name, 1)
        guard active == set else {
            throw ChoiceError(message: "the kernels were already chosen (\(active.name)) before \(set.name) was asked for")
        }
    }

    public struct ChoiceError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
