/// A decoded image as 8-bit RGB, row-major, 3 bytes a pixel: what PIL's
/// `Image.open(path).convert("RGB")` holds, which every transform starts from.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "\(pixels.count) bytes for \(width)×\(height) RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
