/// The run setting that chooses how activation caches are stored
/// (`--cache-precision`): always fp16, always fp32, or `auto` — fp16 only
/// when one cache of the calibration set's largest activation would pass
/// `automaticThresholdBytes`, so that small models keep bit-identical results.
public enum CachePrecision: String, Sendable, Codable, CaseIterable {
    case auto
    case fp16
    case fp32

    /// Above this size of one fp32 buffer `auto` stores in fp16 (512 MiB).
    public static let automaticThresholdBytes = 512 << 20

    /// The storage for `images` images whose largest activation has `elementsPerImage` elements.
    public func resolved(images: Int, elementsPerImage: Int) -> ActivationCache.Precision {
        switch self {
        case .fp16: return .fp16
        case .fp32: return .fp32
        case .auto:
            let (elements, overflow) = max(0, images).multipliedReportingOverflow(by: max(0, elementsPerImage))
            return overflow || elements > Self.automaticThresholdBytes / MemoryLayout<Float>.stride ? .fp16 : .fp32
        }
    }
}
