import Foundation
import FuzzTargets

// The libFuzzer entry point for every target (docs/fuzzing.md):
//
//   brecq-libfuzzer --target=onnx [libFuzzer flags] [corpus directories]
//
// libFuzzer ignores arguments that begin with "--" and hands them on to the
// processes it starts itself (-fork, -merge), so the target travels with them.
// The body of each run is FuzzTarget.run, the function FuzzTests and
// brecq-fuzz call.

/// The target of this process. Written once in `fuzzMain` before libFuzzer's
/// driver starts and only read by its callbacks afterwards, on the driver's
/// thread: there is no concurrent access, hence `nonisolated(unsafe)`.
nonisolated(unsafe) private var selectedTarget: FuzzTarget = .onnx

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzEnvironment.prepare()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    try? selectedTarget.run(input)
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`, which
/// would hide libFuzzer's own `main`; this is that function: it reads
/// `--target=NAME` and hands over to libFuzzer's driver.
@_cdecl("brecq_libfuzzer_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    let arguments = (0..<Int(argc)).compactMap { argv[$0].map { String(cString: $0) } }
    let names = arguments.filter { $0.hasPrefix("--target=") }.map { String($0.dropFirst("--target=".count)) }
    guard names.count == 1, let target = FuzzTarget(rawValue: names[0]) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("brecq-libfuzzer: give exactly one --target=NAME, NAME one of: \(known)\n".utf8))
        return 2
    }
    selectedTarget = target
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
