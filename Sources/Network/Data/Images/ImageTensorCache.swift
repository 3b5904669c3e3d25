/// Where transformed image-folder tensors are kept between runs, so a second
/// run on the same files starts at once. Network only describes the entry (a
/// key naming every input: files with sizes and modification times, the
/// transform, the skip flag); a layer with file-writing machinery stores it
/// (Quantization's `ImageTensorFileCache`).
public protocol ImageTensorCache: Sendable {
    /// The images stored under `key`, or nil (missing, unreadable or not of `sampleShape`).
    func load(key: String, sampleShape: [Int]) -> LabeledImages?
    /// Stores `images` under `key`; a failure only costs the next run its head start.
    func store(_ images: LabeledImages, key: String)
}
