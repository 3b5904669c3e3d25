// swift-tools-version: 6.1
import Foundation
import PackageDescription

// One libFuzzer executable for every parser of untrusted input, the target
// chosen by `--target=NAME`; it calls the same FuzzTargets function as
// FuzzTests and brecq-fuzz. Build only with the fuzzer sanitizer (libFuzzer
// supplies `main`; the sources have none):
//
//   cd Fuzz/LibFuzzer && swift build -c release -Xswiftc -sanitize=fuzzer
//   .build/release/brecq-libfuzzer --target=onnx -rss_limit_mb=2048 -timeout=10 work-onnx ../corpus/onnx
//
// See docs/fuzzing.md. A separate package, so that the root package's
// `swift build --build-tests` never tries to link these without libFuzzer.
// SwiftPM names a path dependency after its directory, which depends on the checkout.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "BrecqFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "brecq-libfuzzer",
            dependencies: [.product(name: "FuzzTargets", package: root.lastPathComponent)],
            // No top-level code and no @main: the entry point is libFuzzer's.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
