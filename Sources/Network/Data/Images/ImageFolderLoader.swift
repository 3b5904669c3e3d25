import Foundation
import Synchronization
import Tensor

/// Decodes and transforms the images of an `ImageFolderIndex` on every core
/// into one normalised `[N, C, H, W]` tensor.
public enum ImageFolderLoader {
    /// Called as images finish, from worker threads: (done, total).
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// At most `limit` entries, spread evenly over the (class-sorted) list so that a
    /// calibration subset covers every class rather than the first few.
    public static func selection(_ entries: [ImageFolderIndex.Entry], limit: Int?) -> [ImageFolderIndex.Entry] {
        let n = min(entries.count, max(limit ?? .max, 0))
        guard n < entries.count else { return entries }
        return (0..<n).map { entries[$0 * entries.count / n] }
    }

    /// Everything the transformed tensor depends on: each file's path, label, size and modification time
    /// (so an edited or replaced file misses), the transform and the skip flag.
    public static func cacheKey(_ entries: [ImageFolderIndex.Entry], transform: ImageTransform, skipBadImages: Bool) -> String {
        var key = "brecq image tensors v1\n\(transform.fingerprint)\nskip=\(skipBadImages)\n"
        for entry in entries {
            let attributes = try? FileManager.default.attributesOfItem(atPath: entry.path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            key += "\(entry.path)\t\(entry.label)\t\(size)\t\(modified)\n"
        }
        return key
    }

    /// The images of `entries` transformed; a file that cannot be decoded is an
    /// error naming it, or with `skipBadImages` left out and listed in `skippedFiles`.
    public static func load(_ entries: [ImageFolderIndex.Entry], transform: ImageTransform, classes: Int,
                            skipBadImages: Bool, progress: Progress? = nil) throws(DatasetError) -> LabeledImages {
        for entry in entries where entry.label >= classes {
            throw .shapeMismatch(path: entry.path, detail: "label \(entry.label) outside 0..<\(classes) classes of the model")
        }
        guard transform.channels == 1 || transform.channels == 3 else {
            throw .shapeMismatch(path: entries.first?.path ?? "", detail: "images give 1 or 3 channels, the model expects \(transform.channels)")
        }
        let sample = transform.sampleSize
        let total = try DatasetError.checking { () throws(UntrustedSizeError) in
            let total = try CheckedSize.multiply(entries.count, sample, "\(entries.count) images of \(sample) values")
            try AllocationLimit.check(total, "\(entries.count) images of \(sample) values")
            return total
        }
        var data = [Float](repeating: 0, count: total)
        var failures = [DatasetError?](repeating: nil, count: entries.count)
        let done = Atomic<Int>(0)
        data.withUnsafeMutableBufferPointer { output in
            failures.withUnsafeMutableBufferPointer { failed in
                // One chunk per image at most: decoding cost varies with file size, so small chunks balance cores.
                parallelChunks(entries.count, work: entries.count * 1_000_000, maxChunks: entries.count) { _, range in
                    for i in range {
                        do throws(DatasetError) {
                            let image = try ImageFile.decode(path: entries[i].path)
                            transform.apply(image, into: UnsafeMutableBufferPointer(rebasing: output[(i * sample)..<((i + 1) * sample)]))
                        } catch {
                            failed[i] = error
                        }
                        let finished = done.add(1, ordering: .relaxed).newValue
                        progress?(finished, entries.count)
                    }
                }
            }
        }
        let bad = failures.indices.filter { failures[$0] != nil }
        if let first = bad.first, !skipBadImages, let error = failures[first] { throw error }
        if bad.isEmpty {
            return LabeledImages(images: Tensor(shape: [entries.count, transform.channels, transform.cropHeight, transform.cropWidth], data: data),
                                 labels: entries.map(\.label))
        }
        let keep = entries.indices.filter { failures[$0] == nil }
        var kept = [Float]()
        kept.reserveCapacity(keep.count * sample)
        for i in keep { kept.append(contentsOf: data[(i * sample)..<((i + 1) * sample)]) }
        var images = LabeledImages(images: Tensor(shape: [keep.count, transform.channels, transform.cropHeight, transform.cropWidth], data: kept),
                                   labels: keep.map { entries[$0].label })
        images.skippedFiles = bad.map { entries[$0].path }
        return images
    }
}
