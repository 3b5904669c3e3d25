/// One activation tensor for each of N images (calibration images, block
/// boundary streams, a unit's inputs and targets, Fisher weights), stored
/// compactly: in half precision (2 bytes an element) or in full (4 bytes).
///
/// At 224×224 these buffers dominate a run's memory (64×56×56 floats × 1024
/// images = 822 MB in fp32), and the trainer only ever reads them a batch at a
/// time, widening to fp32 on the way into an executor's input buffer. Values
/// are rounded once, when stored; reading is exact.
///
/// Value semantics (copy on write), so a stream and a unit's inputs share one
/// buffer until either is replaced.
public struct ActivationCache: Sendable {
    /// How elements are stored.
    public enum Precision: String, Sendable, Codable, CaseIterable {
        case fp32
        case fp16

        public var bytesPerElement: Int { self == .fp16 ? 2 : 4 }
    }

    public let precision: Precision
    /// Rows (images).
    public let rows: Int
    /// Shape of one row, e.g. `[C, H, W]`.
    public let rowShape: [Int]
    public let elementsPerRow: Int
    private var floats: [Float] = []
    private var halves: [UInt16] = []

    /// N rows of zeros.
    public init(rows: Int, rowShape: [Int], precision: Precision) {
        precondition(rows >= 0 && rowShape.allSatisfy { $0 >= 0 })
        self.precision = precision
        self.rows = rows
        self.rowShape = rowShape
        self.elementsPerRow = rowShape.reduce(1, *)
        switch precision {
        case .fp32: floats = [Float](repeating: 0, count: rows * elementsPerRow)
        case .fp16: halves = [UInt16](repeating: 0, count: rows * elementsPerRow)
        }
    }

    /// The rows of `tensor` `[N, ...]` (rounded to half precision for `.fp16`;
    /// for `.fp32` the tensor's storage is shared until either is written).
    public init(_ tensor: Tensor, precision: Precision) {
        precondition(!tensor.shape.isEmpty, "a cache needs a leading row axis")
        let rowShape = Array(tensor.shape.dropFirst())
        switch precision {
        case .fp32:
            self.init(sharing: tensor.data, rows: tensor.shape[0], rowShape: rowShape)
        case .fp16:
            self.init(rows: tensor.shape[0], rowShape: rowShape, precision: .fp16)
            tensor.data.withUnsafeBufferPointer { store(rowsFrom: 0, $0) }
        }
    }

    private init(sharing floats: [Float], rows: Int, rowShape: [Int]) {
        self.precision = .fp32
        self.rows = rows
        self.rowShape = rowShape
        self.elementsPerRow = rowShape.reduce(1, *)
        self.floats = floats
    }

    public var shape: [Int] { [rows] + rowShape }
    public var count: Int { rows * elementsPerRow }
    /// Bytes held by the elements.
    public var byteCount: Int { count * precision.bytesPerElement }

    /// Writes whole rows from `start` on from `source` (a multiple of a row's elements).
    public mutating func store(rowsFrom start: Int, _ source: UnsafeBufferPointer<Float>) {
        let offset = start * elementsPerRow
        precondition(elementsPerRow == 0 || source.count % elementsPerRow == 0, "not whole rows")
        precondition(start >= 0 && offset + source.count <= count, "rows \(start)… past the cache's \(rows)")
        guard !source.isEmpty else { return }
        switch precision {
        case .fp32:
            floats.withUnsafeMutableBufferPointer { dst in
                (dst.baseAddress! + offset).update(from: source.baseAddress!, count: source.count)
            }
        case .fp16:
            halves.withUnsafeMutableBufferPointer { dst in
                HalfPrecision.convert(source, to: UnsafeMutableBufferPointer(rebasing: dst[offset..<(offset + source.count)]))
            }
        }
    }

    /// Rows `range`, one after another, widened into `destination` (exactly their elements).
    public func copyRows(_ range: Range<Int>, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows && destination.count == range.count * elementsPerRow)
        copyElements(from: range.lowerBound * elementsPerRow, into: destination)
    }

    /// Rows at `indices` (any order, repeats allowed), one after another, widened into `destination`.
    public func gatherRows(_ indices: [Int], into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(destination.count == indices.count * elementsPerRow)
        for (b, r) in indices.enumerated() {
            precondition(r >= 0 && r < rows, "row \(r) of \(rows)")
            copyElements(from: r * elementsPerRow,
                         into: UnsafeMutableBufferPointer(rebasing: destination[(b * elementsPerRow)..<((b + 1) * elementsPerRow)]))
        }
    }

    /// Rows `range` as an fp32 tensor `[range.count] + rowShape`.
    public func tensor(rows range: Range<Int>) -> Tensor {
        if precision == .fp32 && range == 0..<rows { return Tensor(shape: shape, data: floats) }   // shared until written
        var data = [Float](repeating: 0, count: range.count * elementsPerRow)
        data.withUnsafeMutableBufferPointer { copyRows(range, into: $0) }
        return Tensor(shape: [range.count] + rowShape, data: data)
    }

    /// Every row as an fp32 tensor.
    public func tensor() -> Tensor { tensor(rows: 0..<rows) }

    private func copyElements(from offset: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        guard !destination.isEmpty else { return }
        switch precision {
        case .fp32:
            floats.withUnsafeBufferPointer { src in destination.baseAddress!.update(from: src.baseAddress! + offset, count: destination.count) }
        case .fp16:
            halves.withUnsafeBufferPointer { src in
                HalfPrecision.convert(UnsafeBufferPointer(rebasing: src[offset..<(offset + destination.count)]), to: destination)
            }
        }
    }
}
