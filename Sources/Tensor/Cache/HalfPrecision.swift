import CKernels

/// IEEE binary16 conversion through the C kernels (F16C where the CPU has it):
/// round to nearest with ties to even, overflow to infinity, subnormals kept,
/// NaNs quieted. Every instruction-set build gives the same bits, so a cache
/// holds the same values on every machine.
public enum HalfPrecision {
    /// The build the library uses.
    static let isa = ck_f16_isa()
    /// Every build this CPU can run, narrowest first (tests compare them).
    static var supportedInstructionSets: [Int32] { Array(CK_ISA_GENERIC...isa) }

    public static func convert(_ source: UnsafeBufferPointer<Float>, to destination: UnsafeMutableBufferPointer<UInt16>) {
        convert(source, to: destination, isa: isa)
    }

    public static func convert(_ source: UnsafeBufferPointer<UInt16>, to destination: UnsafeMutableBufferPointer<Float>) {
        convert(source, to: destination, isa: isa)
    }

    static func convert(_ source: UnsafeBufferPointer<Float>, to destination: UnsafeMutableBufferPointer<UInt16>, isa: Int32) {
        precondition(source.count == destination.count && isa <= Self.isa)
        guard let s = source.baseAddress, let d = destination.baseAddress else { return }
        ck_f32_to_f16(isa, s, d, source.count)
    }

    static func convert(_ source: UnsafeBufferPointer<UInt16>, to destination: UnsafeMutableBufferPointer<Float>, isa: Int32) {
        precondition(source.count == destination.count && isa <= Self.isa)
        guard let s = source.baseAddress, let d = destination.baseAddress else { return }
        ck_f16_to_f32(isa, s, d, source.count)
    }
}
