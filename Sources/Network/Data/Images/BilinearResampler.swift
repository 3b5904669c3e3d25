import Foundation

/// `PIL.Image.resize(size, Image.BILINEAR)` on 8-bit RGB, reproduced so that
/// pixels match what torchvision's `Resize` gives on PIL images.
///
/// PIL's algorithm (`libImaging/Resample.c`): a separable triangle filter whose
/// support widens with the downscale factor (antialiasing); for output pixel
/// `i`, centre = (i + 0.5)·scale and weights triangle((j − centre + 0.5)/filterscale),
/// normalised, then turned into 22-bit fixed point. The horizontal pass runs
/// first (only over the rows the vertical pass needs) and each pass rounds to
/// uint8, so the ordering and rounding here are PIL's.
public enum BilinearResampler {
    private static let precisionBits = 32 - 8 - 2

    /// Per output pixel: the first input index, how many inputs, and fixed-point weights.
    struct Coefficients {
        var first: [Int]
        var count: [Int]
        var weights: [Int32]
        var kernelSize: Int
    }

    static func coefficients(inputSize: Int, outputSize: Int) -> Coefficients {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = 1.0 * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        var result = Coefficients(first: [], count: [], weights: [Int32](repeating: 0, count: outputSize * kernelSize),
                                  kernelSize: kernelSize)
        var weights = [Double](repeating: 0, count: kernelSize)
        for i in 0..<outputSize {
            let center = (Double(i) + 0.5) * scale
            let inverse = 1.0 / filterScale
            // C's (int) cast truncates toward zero, as here.
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inputSize) - xmin
            var total = 0.0
            for x in 0..<max(xmax, 0) {
                let t = abs((Double(x + xmin) - center + 0.5) * inverse)
                let w = t < 1.0 ? 1.0 - t : 0.0
                weights[x] = w
                total += w
            }
            for x in 0..<max(xmax, 0) {
                let w = total != 0 ? weights[x] / total : weights[x]
                let fixed = w < 0 ? -0.5 + w * Double(1 << precisionBits) : 0.5 + w * Double(1 << precisionBits)
                result.weights[i * kernelSize + x] = Int32(fixed)
            }
            result.first.append(xmin)
            result.count.append(max(xmax, 0))
        }
        return result
    }

    @inline(__always) private static func clip8(_ value: Int) -> UInt8 {
        if value >= 1 << (precisionBits + 8) { return 255 }
        if value <= 0 { return 0 }
        return UInt8(truncatingIfNeeded: value >> precisionBits)
    }

    /// `image` resized to `width × height`; the same size returns it unchanged, as PIL does.
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0)
        if width == image.width && height == image.height { return image }
        let needHorizontal = width != image.width
        let needVertical = height != image.height
        let horizontal = coefficients(inputSize: image.width, outputSize: width)
        let vertical = coefficients(inputSize: image.height, outputSize: height)
        var current = image
        var rowOffset = 0
        if needHorizontal {
            // Only the rows the vertical pass reads.
            let firstRow = vertical.first[0]
            let lastRow = vertical.first[height - 1] + vertical.count[height - 1]
            rowOffset = firstRow
            let rows = needVertical ? lastRow - firstRow : image.height
            if !needVertical { rowOffset = 0 }
            var out = [UInt8](repeating: 0, count: width * rows * 3)
            let half = 1 << (precisionBits - 1)
            image.pixels.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    for y in 0..<rows {
                        let inRow = (y + rowOffset) * image.width * 3
                        for x in 0..<width {
                            let first = horizontal.first[x], k = x * horizontal.kernelSize
                            var r = half, g = half, b = half
                            for j in 0..<horizontal.count[x] {
                                let w = Int(horizontal.weights[k + j])
                                let p = inRow + (first + j) * 3
                                r += Int(input[p]) * w; g += Int(input[p + 1]) * w; b += Int(input[p + 2]) * w
                            }
                            let o = (y * width + x) * 3
                            output[o] = clip8(r); output[o + 1] = clip8(g); output[o + 2] = clip8(b)
                        }
                    }
                }
            }
            current = RGBImage(width: width, height: rows, pixels: out)
        }
        guard needVertical else { return current }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let half = 1 << (precisionBits - 1)
        let source = current
        source.pixels.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for y in 0..<height {
                    let first = vertical.first[y] - rowOffset, k = y * vertical.kernelSize
                    for x in 0..<width {
                        var r = half, g = half, b = half
                        for j in 0..<vertical.count[y] {
                            let w = Int(vertical.weights[k + j])
                            let p = ((first + j) * source.width + x) * 3
                            r += Int(input[p]) * w; g += Int(input[p + 1]) * w; b += Int(input[p + 2]) * w
                        }
                        let o = (y * width + x) * 3
                        output[o] = clip8(r); output[o + 1] = clip8(g); output[o + 2] = clip8(b)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
