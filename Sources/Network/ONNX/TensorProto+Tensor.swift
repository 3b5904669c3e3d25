import Foundation
import Tensor

extension Onnx_TensorProto {
    /// The tensor's values as float32 (integers convert exactly up to 2^24,
    /// plenty for shapes and clip bounds). Reads `raw_data` (little-endian)
    /// or the typed repeated field, whichever the writer used.
    ///
    /// The dimensions are checked (non-negative, no overflow: `[-1, -1, 1, 1]`
    /// must not pass as 1 element) and the element count must fit
    /// `AllocationLimit`, before anything is decoded. `label` names the tensor in
    /// errors ("initializer 'w'", "node 'c' attribute value").
    func decodedTensor(label: String? = nil) throws(ONNXImportError) -> Tensor {
        let label = label ?? "initializer '\(name)'"
        if dataLocation == .external { throw .externalData(tensor: name) }
        let (shape, count) = try ONNXImportError.checking { () throws(UntrustedSizeError) in
            let shape = try dims.map { d throws(UntrustedSizeError) in try CheckedSize.count(d, "\(label) dims \(dims)") }
            // Each axis on its own too: [2^40, 0] holds nothing, but a loop over its first axis would run 2^40 times.
            for d in shape { try AllocationLimit.check(d, "\(label) dims \(dims)") }
            let count = try CheckedSize.product(shape, "\(label) dims \(dims)")
            try AllocationLimit.check(count, "\(label) dims \(dims)")
            return (shape, count)
        }
        let values: [Float]
        switch DataType(rawValue: Int(dataType)) {
        case .float:
            values = rawData.isEmpty ? floatData : Self.littleEndian(rawData, as: UInt32.self).map { Float(bitPattern: $0) }
        case .double:
            values = rawData.isEmpty ? doubleData.map { Float($0) }
                : Self.littleEndian(rawData, as: UInt64.self).map { Float(Double(bitPattern: $0)) }
        case .int64:
            values = rawData.isEmpty ? int64Data.map { Float($0) }
                : Self.littleEndian(rawData, as: UInt64.self).map { Float(Int64(bitPattern: $0)) }
        case .int32:
            values = rawData.isEmpty ? int32Data.map { Float($0) }
                : Self.littleEndian(rawData, as: UInt32.self).map { Float(Int32(bitPattern: $0)) }
        case .uint8:
            values = rawData.isEmpty ? int32Data.map { Float($0) } : rawData.map { Float($0) }
        case .int8:
            values = rawData.isEmpty ? int32Data.map { Float($0) } : rawData.map { Float(Int8(bitPattern: $0)) }
        default:
            throw .unsupportedDataType(tensor: name, dataType: dataType)
        }
        guard values.count == count else {
            throw .invalidModel("\(label) declares shape \(shape) (\(count) values) but holds \(values.count)")
        }
        return Tensor(shape: shape, data: values)
    }

    private static func littleEndian<T: FixedWidthInteger>(_ bytes: Data, as: T.Type) -> [T] {
        let stride = MemoryLayout<T>.size
        return bytes.withUnsafeBytes { raw in
            (0..<(raw.count / stride)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * stride, as: T.self)) }
        }
    }
}
