/// Layer names as exporters write them ("/layers/layers.3/conv2/Conv") share
/// long prefixes and op suffixes; cut to a column, only the distinctive
/// middle would survive a plain truncation from the right.
enum LayerName {
    /// The name without its leading slash and trailing op name, and, when
    /// still wider than `width`, its end behind an ellipsis ("…layers.3/conv2").
    static func fit(_ name: String, width: Int, charset: Charset) -> String {
        var short = Substring(name)
        if short.hasPrefix("/") { short = short.dropFirst() }
        for op in ["/Conv", "/Gemm", "/MatMul"] where short.hasSuffix(op) && short.count > op.count {
            short = short.dropLast(op.count)
            break
        }
        guard short.count > width, width > 1 else { return String(short) }
        return (charset == .unicode ? "…" : "~") + short.suffix(width - 1)
    }
}
