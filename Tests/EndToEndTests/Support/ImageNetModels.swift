import Foundation
import TestFixtures

/// The 224×224 torchvision-layout models of issue #18, exported by the committed
/// scripts/make_imagenet_models.py into a temporary directory, with a small
/// ImageFolder data set beside them in `images/` (16 pictures, 4 classes).
/// Suites make one per class and remove it in their class tearDown.
enum ImageNetModels {
    static func export(_ models: [String], label: String = #function) throws -> URL {
        let directory = try temporaryDirectory(label)
        _ = try PythonScript.run("scripts/make_imagenet_models.py", [
            directory.path, "--models", models.joined(separator: ","), "--images", "16", "--image-classes", "4",
        ])
        return directory
    }
}
