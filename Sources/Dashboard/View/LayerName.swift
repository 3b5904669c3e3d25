/// Layer names as exporters write them ("/layers/layers.3/conv2/Conv") share
/// long prefixes and op suffixes, and rows differ in two places: the block
/// index near the start ("layer2.0") and the last component ("shortcut.0").
/// Cut to a column, a plain truncation keeps only one of them, so the middle
/// is elided instead.
enum LayerName {
    /// The name without its leading slash and trailing op name; when still
    /// wider than `width`, the middle is elided, keeping the block index and
    /// the last component ("…/layer2.0/conv1", "layer2.0…shortcut.0").
    static func fit(_ name: String, width: Int, charset: Charset) -> String {
        let short = stripped(name)
        guard short.count > width, width > 1 else { return short }
        let e = charset == .unicode ? "…" : "~"
        let parts = short.split(separator: "/").map(String.init)
        guard parts.count >= 2, let last = parts.last else { return e + String(short.suffix(width - 1)) }
        // The block index is the first indexed component ("features.3" in
        // features/features.3/conv/conv.0/conv.0.0): the most distinctive part after the last.
        let blockIndex = parts.dropLast().firstIndex(where: isIndexed)
        var candidates: [String] = []
        if let b = blockIndex {
            let block = parts[b]
            let fromBlock = parts[b...].joined(separator: "/")
            candidates.append(b == 0 ? fromBlock : e + "/" + fromBlock)
            if b > 0 { candidates.append(e + fromBlock) }
            if b < parts.count - 2 { candidates.append(block + "/" + e + "/" + last) }
            candidates.append(block + e + last)
            // The block's number without its word ("1.0/conv1" for layer1.0): in a
            // ten-column list of a ResNet's 50+ layers, "….0/conv1" would be three layers.
            // Not where the last component repeats the block ("features.12…features.12.0"): it names it already.
            let number = last.hasPrefix(block) ? "" : String(block.drop { !$0.isNumber })
            if !number.isEmpty, number != block {
                candidates.append(number + "/" + last)
            }
            // The whole block index and as much of the last component's end as fits.
            let tail = width - block.count - 1
            if tail >= 3 { candidates.append(block + e + String(last.suffix(tail))) }
            if !number.isEmpty, number != block, width - number.count - 1 >= 4 {
                candidates.append(number + e + String(last.suffix(width - number.count - 1)))
            }
            // The block's end (its index) in front of the whole last component.
            let room = width - last.count - 2
            if room >= 1 { candidates.append(e + String(block.suffix(room)) + "/" + last) }
        } else {
            candidates.append(e + "/" + last)
        }
        if let fitting = candidates.first(where: { $0.count <= width }) { return fitting }
        return e + String(last.suffix(width - 1))
    }

    /// Without the leading slash and a trailing op name (Conv, Gemm, MatMul).
    static func stripped(_ name: String) -> String {
        var short = Substring(name)
        if short.hasPrefix("/") { short = short.dropFirst() }
        for op in ["/Conv", "/Gemm", "/MatMul"] where short.hasSuffix(op) && short.count > op.count {
            short = short.dropLast(op.count)
            break
        }
        return String(short)
    }

    /// "layer2.0", "features.12", "blocks_3": a name ending in a separator and digits.
    static func isIndexed(_ component: String) -> Bool {
        guard let last = component.last, last.isNumber else { return false }
        let beforeDigits = component.reversed().drop { $0.isNumber }.first
        return beforeDigits.map { ".-_".contains($0) } ?? false
    }
}
