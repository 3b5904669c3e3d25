import Network
import Tensor

/// Buffers that hold an activation for each of N images: a session keeps, for
/// every calibration image, the activations at the current block boundary
/// (quantized and FP) and a unit's inputs and targets; the differentiable
/// executor keeps every intermediate tensor of a batch; the sensitivity
/// measurement runs its images through the same executors. Each such buffer is
/// at most (N × the graph's largest tensor). The importer held one image's
/// activations to `AllocationLimit`; N is checked here, before the images load,
/// so that a too-large count is one line naming the flag to lower rather than
/// the allocator failing mid-run.
public enum ActivationBufferLimit {
    public struct Exceeded: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Refuses `images` images of `graph` when one buffer of their largest activation would pass the limit.
    /// `flag` is the option that sets `images`; `what` says what the buffers hold ("the calibration set's activations");
    /// `bytesPerElement` is 2 for caches kept in half precision (`ActivationCache.Precision`).
    public static func check(images: Int, of graph: Graph, flag: String, holding what: String,
                             bytesPerElement: Int = MemoryLayout<Float>.stride) throws(Exceeded) {
        // One image's largest tensor was held to the limit at import, so only this product can overflow.
        let perImage = graph.largestSampleElements * bytesPerElement
        let (total, overflow) = max(images, 0).multipliedReportingOverflow(by: perImage)
        guard overflow || total > AllocationLimit.bytes else { return }
        let bytes = overflow ? "more than \(Int.max) bytes" : "\(total) bytes"
        let tensor = TerminalText.sanitized(graph.largestSampleTensor)
        let shape = (graph.sampleShape(of: graph.largestSampleTensor) ?? []).map(String.init).joined(separator: "x")
        throw Exceeded(description: "\(flag) \(images): \(what) of tensor '\(tensor)' (\(shape) elements of \(bytesPerElement) bytes per image) need \(bytes), "
                       + "more than the limit of \(AllocationLimit.bytes) bytes for one buffer; lower \(flag) "
                       + "(or raise BRECQ_MAX_TENSOR_BYTES)")
    }
}
