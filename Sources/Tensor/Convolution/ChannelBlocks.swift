/// How a dense direct pass splits its output channels over `ck_conv_forward`
/// calls: blocks of the kernels' `outputBlock` channels or one fewer, each a
/// tile that keeps its accumulators in registers.
///
/// Mixing the two sizes covers most channel counts exactly: with AVX2's
/// blocks of 6, 16 = 6 + 5 + 5, 32 = 2·6 + 4·5, 64 = 9·6 + 2·5, where blocks
/// of 6 alone computed 18, 36 and 66 channels (12 %, 12 % and 3 % of the
/// forward work thrown away). A count that cannot be written so (fewer
/// channels than blocks' worth of spare, e.g. 1–4 or 7 with blocks of 6) pads
/// its last block with zero weights, as every block did before.
struct ChannelBlocks: Equatable {
    struct Block: Equatable {
        /// First output channel.
        let first: Int
        /// Real channels in the block.
        let count: Int
        /// Channels computed (and packed): `count`, or `outputBlock` for a padded last block.
        let width: Int
    }

    let blocks: [Block]

    init(channels: Int, outputBlock block: Int) {
        precondition(channels >= 0 && block >= 1, "channel blocks of \(channels) channels by \(block)")
        let count = (channels + block - 1) / block, spare = count * block - channels
        var blocks: [Block] = []
        blocks.reserveCapacity(count)
        var first = 0
        if spare <= count && block > 1 {
            // `spare` blocks one channel short, the rest whole.
            for b in 0..<count {
                let width = b < count - spare ? block : block - 1
                blocks.append(Block(first: first, count: width, width: width))
                first += width
            }
        } else {
            for _ in 0..<count {
                blocks.append(Block(first: first, count: min(block, channels - first), width: block))
                first += block
            }
        }
        self.blocks = blocks
    }

    /// Packed floats before each block, for `inChannels × taps` weights per channel.
    func packedOffsets(inChannels: Int, taps: Int) -> [Int] {
        var offsets: [Int] = [], total = 0
        for block in blocks {
            offsets.append(total)
            total += block.width * inChannels * taps
        }
        return offsets
    }

    /// Channels computed over all blocks (the packed weights hold this many × in × taps).
    var computedChannels: Int { blocks.reduce(0) { $0 + $1.width } }
}
