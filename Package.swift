// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "BrecqQuant",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "brecq", targets: ["brecq"]),
        // For the libFuzzer package in Fuzz/, which depends on this one by path.
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // ncursesw through a one-header shim: the wide-character API needs
        // _XOPEN_SOURCE_EXTENDED defined before <curses.h>, and macros need wrappers.
        .systemLibrary(
            name: "CNcurses",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // OpenBLAS is loaded at run time (dlopen) so that its CPU kernel can be
        // chosen before the library initialises; see Sources/Tensor/BLAS/.
        // Convolution kernels in C, built per instruction set (AVX-512, AVX2,
        // baseline) with target attributes and chosen at run time, so the binary
        // runs on any x86-64 while Swift code stays at the baseline ISA.
        .target(name: "CKernels"),
        .target(name: "Tensor", dependencies: ["CKernels"]),
        // zlib inflates gzip IDX files; Foundation on Linux has no gzip.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // SHA-256 of checkpoints, caches and model files from the system's libcrypto:
        // a digest needs no more, and building BoringSSL (swift-crypto) costs minutes.
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        // JPEG and PNG decoding for image-folder data sets, with Debian's libraries.
        .systemLibrary(name: "CJPEG", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CPNG", providers: [.apt(["libpng-dev"])]),
        // libjpeg reports errors by longjmp (or exit()); this C shim keeps the
        // setjmp/longjmp pair inside C and hands Swift a return code and message.
        // The C file includes <jpeglib.h> directly, so it links libjpeg itself.
        .target(name: "CImageDecoding", dependencies: ["CJPEG"], linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "Network", dependencies: [
            "Tensor", "CZlib", "CImageDecoding", "CPNG",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "Quantization", dependencies: ["Network", "Tensor", "CCrypto"]),
        .target(name: "Engine", dependencies: ["Quantization", "Network", "Tensor"]),
        .target(name: "Dashboard", dependencies: ["Engine", "Quantization", "Network", "CNcurses"]),
        // Flags, parsing and printing of every command, as a library so that
        // CLITests parse argument lists in process; `brecq` only calls its root command.
        .target(name: "BrecqCLI", dependencies: [
            "Dashboard", "Engine", "Quantization", "Network", "Tensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "brecq", dependencies: ["BrecqCLI"]),
        // Every parser of untrusted input as a fuzz target, the mutator and the
        // in-process driver: used by FuzzTests (CI), brecq-fuzz and Fuzz/ (libFuzzer).
        .target(name: "FuzzTargets", dependencies: ["Dashboard", "Engine", "Quantization", "Network", "Tensor"]),
        .executableTarget(name: "brecq-fuzz", dependencies: ["FuzzTargets"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets", "Dashboard", "Engine", "Network"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestFixtures"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "Tensor", "TestFixtures"]),
        // FuzzTargets: the fixed model (`FixedGraph`) the tests build with their own weights.
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "Network", "Tensor", "FuzzTargets", "TestFixtures"]),
        // Generated model directories shared by the engine and end-to-end tests.
        .target(name: "TestFixtures", dependencies: ["Tensor"], path: "Tests/TestFixtures"),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Quantization", "Network", "Tensor", "TestFixtures"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Engine", "Quantization", "Network"], exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestFixtures"]),
        .testTarget(name: "CLITests", dependencies: [
            "BrecqCLI", "TestFixtures", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
