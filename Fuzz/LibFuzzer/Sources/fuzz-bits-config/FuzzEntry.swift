import Foundation
import FuzzTargets

// libFuzzer entry points for the bits-config target (see docs/fuzzing.md). The body
// is FuzzTarget.bitsConfig.run, the same function FuzzTests and brecq-fuzz call.

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzEnvironment.prepare()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    try? FuzzTarget.bitsConfig.run(input)
    return 0
}
