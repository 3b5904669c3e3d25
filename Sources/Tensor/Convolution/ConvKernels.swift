import CKernels

/// One instruction-set build of the C convolution kernels and its block sizes.
///
/// `best` is what the library uses; tests run every build the CPU supports so
/// that the narrower fallbacks are checked on an AVX-512 machine too.
struct ConvKernels: Sendable, CustomStringConvertible {
    let isa: Int32
    let vectorWidth: Int
    let outputBlock: Int
    let tapBlock: Int

    init(isa: Int32) {
        precondition(isa >= CK_ISA_GENERIC && isa <= ck_best_isa(), "instruction set \(isa) is not supported here")
        self.isa = isa
        let layout = ck_conv_layout(isa)
        vectorWidth = layout.vectorWidth
        outputBlock = layout.outputBlock
        tapBlock = layout.tapBlock
    }

    static let best = ConvKernels(isa: ck_best_isa())

    /// Every build this CPU can run, narrowest first.
    static var supported: [ConvKernels] { (CK_ISA_GENERIC...ck_best_isa()).map(ConvKernels.init(isa:)) }

    var description: String {
        switch isa {
        case CK_ISA_AVX512: "avx512"
        case CK_ISA_AVX2: "avx2"
        default: "generic"
        }
    }
}
