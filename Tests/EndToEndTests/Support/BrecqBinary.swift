import Foundation

/// The `brecq` executable the package built, found next to the test bundle
/// (the products directory, `.build/<config>/`), whichever configuration ran.
enum BrecqBinary {
    /// The package root, from this file's location (Tests/EndToEndTests/Support/).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `$BRECQ_BINARY` first; then the directory of the running test executable or
    /// bundle (the products directory); then `.build/{release,debug}/brecq`.
    static func path() throws -> String {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["BRECQ_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var productDirectories = [running.deletingLastPathComponent()]
        for bundle in Bundle.allBundles + [Bundle.main] where bundle.bundlePath.hasSuffix(".xctest") {
            productDirectories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        productDirectories.append(Bundle.main.bundleURL)
        // A bundle's executable sits inside it (macOS: X.xctest/Contents/MacOS/X).
        for directory in productDirectories {
            candidates.append(directory.appendingPathComponent("brecq"))
            if let xctest = directory.pathComponents.lastIndex(where: { $0.hasSuffix(".xctest") }) {
                let products = URL(fileURLWithPath: NSString.path(withComponents: Array(directory.pathComponents[..<xctest])))
                candidates.append(products.appendingPathComponent("brecq"))
            }
        }
        for configuration in ["release", "debug"] {
            candidates.append(packageRoot.appendingPathComponent(".build/\(configuration)/brecq"))
        }
        for candidate in candidates where fm.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw TestFailure("no brecq executable; looked at \(candidates.map(\.path))")
    }
}

/// A failure with a message, thrown from test helpers.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
