import Tensor

/// The one check every image header's width and height pass before pixel
/// memory is allocated: positive, a pixel count no larger than PIL's
/// decompression-bomb limit (so a 50-byte PNG claiming 100000×100000 is
/// refused whatever the machine's memory), and a buffer within `AllocationLimit`.
enum ImageDimensions {
    /// PIL refuses images over twice `Image.MAX_IMAGE_PIXELS` (89 478 485) as decompression bombs.
    static let maximumPixels = 2 * 89_478_485

    /// The number of bytes of a `width × height × channels` buffer of `bytesPerSample`-byte samples.
    static func checkedBytes(width: some BinaryInteger, height: some BinaryInteger, channels: Int, bytesPerSample: Int = 1,
                             path: String) throws(DatasetError) -> Int {
        try DatasetError.checking { () throws(UntrustedSizeError) in
            let what = "\(path): image header size \(width)×\(height)"
            let w = try CheckedSize.count(width, what)
            let h = try CheckedSize.count(height, what)
            guard w > 0, h > 0 else { throw UntrustedSizeError(what: what, reason: "an image needs at least one pixel") }
            let pixels = try CheckedSize.product([w, h], what, limit: maximumPixels)
            let samples = try CheckedSize.multiply(pixels, channels, what)
            try AllocationLimit.check(samples, elementSize: bytesPerSample, what)
            return samples
        }
    }
}
