import Foundation
import Network

/// Image file bytes → `ImageFile.decode` (JPEG through libjpeg-turbo, PNG
/// through libpng, chosen by the first bytes) → the evaluation transform into
/// an RGB and a grayscale model's input, as an image folder's loader does.
enum ImageTarget {
    /// A small RGB input (resize 18, crop 16×16) and a grayscale one (crop 8×12, BGR order is moot).
    private static let transforms = [
        ImageTransform(config: ModelConfig(inputShape: [3, 16, 16], classes: 10, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])),
        ImageTransform(config: ModelConfig(inputShape: [1, 8, 12], classes: 10, mean: [0.5], std: [0.25])),
    ]

    static func run(_ input: Data) throws {
        let image = try ImageFile.decode(input, path: "fuzz-input")
        // A decoder that returns must return a whole image.
        precondition(image.width > 0 && image.height > 0 && image.pixels.count == image.width * image.height * 3,
                      "decoded \(image.width)×\(image.height) with \(image.pixels.count) bytes")
        for transform in transforms {
            var output = [Float](repeating: .nan, count: transform.sampleSize)
            output.withUnsafeMutableBufferPointer { transform.apply(image, into: $0) }
            precondition(output.allSatisfy(\.isFinite), "the transform left a pixel unwritten or not finite")
        }
    }
}
