import Foundation
import TestFixtures

/// The 224×224 torchvision-layout models of issue #18, exported by the committed
/// scripts/make_imagenet_models.py into a temporary directory, with a small
/// ImageFolder data set beside them in `images/` (16 pictures, 4 classes).
/// A suite exports once (`shared`, on first use) and removes its export in its
/// class tearDown (`remove`).
enum ImageNetModels {
    /// Exports by suite label. `nonisolated(unsafe)` is safe here: XCTest runs the tests of this
    /// target one after another on one thread (no parallel testing in `.ci/run`), so no two accesses overlap.
    nonisolated(unsafe) private static var exports: [String: URL] = [:]

    static func shared(_ models: [String], label: String) throws -> URL {
        if let directory = exports[label] { return directory }
        let directory = try temporaryDirectory(label)
        _ = try PythonScript.run("scripts/make_imagenet_models.py", [
            directory.path, "--models", models.joined(separator: ","), "--images", "16", "--image-classes", "4",
        ])
        exports[label] = directory
        return directory
    }

    static func remove(label: String) {
        if let directory = exports.removeValue(forKey: label) { try? FileManager.default.removeItem(at: directory) }
    }
}
