/// The evaluation transform applied to every decoded image, torchvision's
/// `Resize(resize) → CenterCrop(H, W) → ToTensor() → Normalize(mean, std)` on
/// PIL images, with its parameters from `config.json`:
///
/// - `resize`: the shorter side after resizing (bilinear with PIL's
///   antialiasing); default `round(min(H, W) · 256 / 224)`, torchvision's
///   ImageNet ratio (256 for a 224×224 model, 37 for 32×32).
/// - the crop is the model's `input_shape` H×W (centre; zero padding when the
///   resized image is smaller, as torchvision pads).
/// - `channel_order`: `"rgb"` (default) or `"bgr"`; a 1-channel model gets
///   PIL's `convert("L")` luma.
/// - `scale` (default 1/255), `mean`, `std` per channel.
///
/// EXIF orientation is not applied: PIL's `Image.open`, and so torchvision's
/// ImageFolder, ignores it, and the model was trained on such pixels.
public struct ImageTransform: Sendable, Equatable {
    public enum ChannelOrder: String, Sendable, Codable { case rgb, bgr }

    public var resize: Int
    public var cropHeight: Int
    public var cropWidth: Int
    public var channels: Int
    public var channelOrder: ChannelOrder
    public var scale: Double
    public var mean: [Double]
    public var std: [Double]

    public init(config: ModelConfig) {
        channels = config.inputShape[0]
        cropHeight = config.inputShape[1]
        cropWidth = config.inputShape[2]
        resize = config.resize ?? Self.defaultResize(height: cropHeight, width: cropWidth)
        channelOrder = config.channelOrder ?? .rgb
        scale = config.pixelScale
        mean = config.mean
        std = config.std
    }

    /// torchvision's evaluation ratio 256/224 applied to the model's input size.
    public static func defaultResize(height: Int, width: Int) -> Int {
        Int((Double(min(height, width)) * 256.0 / 224.0).rounded())
    }

    /// Values per transformed image (`C·H·W`).
    public var sampleSize: Int { channels * cropHeight * cropWidth }

    /// Everything the output depends on, for cache keys.
    public var fingerprint: String {
        "resize=\(resize) crop=\(cropHeight)x\(cropWidth) channels=\(channels) order=\(channelOrder.rawValue)"
            + " scale=\(scale) mean=\(mean) std=\(std) resampler=pil-bilinear-8bit"
    }

    /// torchvision's `Resize(int)` output size: the shorter side becomes `resize`, the longer `int(resize·long/short)`.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let short = min(width, height), long = max(width, height)
        let newLong = Int(Double(resize * long) / Double(short))
        return width <= height ? (resize, newLong) : (newLong, resize)
    }

    /// `image` transformed and normalised into `output` (`C·H·W` floats, channel-major).
    public func apply(_ image: RGBImage, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count == sampleSize)
        let size = resizedSize(width: image.width, height: image.height)
        let resized = BilinearResampler.resize(image, width: size.width, height: size.height)
        let top = Self.cropOffset(size: resized.height, crop: cropHeight)
        let left = Self.cropOffset(size: resized.width, crop: cropWidth)
        let plane = cropHeight * cropWidth
        for y in 0..<cropHeight {
            let sy = y + top
            for x in 0..<cropWidth {
                let sx = x + left
                var rgb: (Int, Int, Int) = (0, 0, 0)  // torchvision's zero padding
                if sy >= 0, sy < resized.height, sx >= 0, sx < resized.width {
                    let p = (sy * resized.width + sx) * 3
                    rgb = (Int(resized.pixels[p]), Int(resized.pixels[p + 1]), Int(resized.pixels[p + 2]))
                }
                let i = y * cropWidth + x
                if channels == 1 {
                    // PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point.
                    let luma = (rgb.0 * 19595 + rgb.1 * 38470 + rgb.2 * 7471 + 0x8000) >> 16
                    output[i] = normalised(Double(luma), channel: 0)
                } else {
                    let ordered = channelOrder == .rgb ? [rgb.0, rgb.1, rgb.2] : [rgb.2, rgb.1, rgb.0]
                    for c in 0..<3 { output[c * plane + i] = normalised(Double(ordered[c]), channel: c) }
                }
            }
        }
    }

    @inline(__always) private func normalised(_ pixel: Double, channel: Int) -> Float {
        let m = mean[mean.count == 1 ? 0 : channel], s = std[std.count == 1 ? 0 : channel]
        return Float((pixel * scale - m) / s)
    }

    /// torchvision's `center_crop`: `int(round((size − crop) / 2))` (Python rounds halves to even), or
    /// minus the left/top zero padding when the image is smaller than the crop.
    static func cropOffset(size: Int, crop: Int) -> Int {
        if crop > size { return -((crop - size) / 2) }
        return Int((Double(size - crop) / 2.0).rounded(.toNearestOrEven))
    }
}
