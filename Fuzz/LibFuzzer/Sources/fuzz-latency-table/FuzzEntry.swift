import Foundation
import FuzzTargets

// libFuzzer entry points for the latency-table target (see docs/fuzzing.md). The body
// is FuzzTarget.latencyTable.run, the same function FuzzTests and brecq-fuzz call.

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzEnvironment.prepare()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    try? FuzzTarget.latencyTable.run(input)
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`, which
/// would hide libFuzzer's own `main`; this is that function, and it hands
/// over to libFuzzer's driver.
@_cdecl("fuzz_latency_table_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runLibFuzzer(&argc, &argv) { bytes, count in fuzzTestOneInput(bytes, count) }
}

// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*)(const uint8_t *, size_t))`
// from libFuzzer. Declared by symbol name: pointer and integer arguments pass in
// the same registers under the Swift and C conventions on the platforms libFuzzer runs on.
@_silgen_name("LLVMFuzzerRunDriver")
func runLibFuzzer(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
