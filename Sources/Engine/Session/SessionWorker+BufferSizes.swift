import Network
import Tensor

/// The session's largest buffers grow with two flags: for every calibration
/// image it holds the activations at the current block boundary (quantized and
/// FP) and a unit's inputs and targets, and the differentiable executor keeps
/// every intermediate tensor of a batch. Each such buffer is at most (images ×
/// the graph's largest tensor). The importer checked one image's activations
/// against `AllocationLimit`; these are checked here, before the calibration
/// images load, so that a too-large `--calib-size` is one line naming the flag
/// rather than the allocator failing mid-run.
extension SessionWorker {
    func checkSessionBuffersFit() throws {
        try checkBuffers(images: configuration.calibrationSize, flag: "--calib-size", holding: "the calibration set's activations")
        // A batch steered larger later is still at most the calibration set (the reconstructor takes the smaller).
        try checkBuffers(images: configuration.hyperparameters.batchSize, flag: "--batch-size", holding: "a batch's activations")
    }

    private func checkBuffers(images: Int, flag: String, holding what: String) throws {
        // One image's largest tensor was held to the limit at import, so this product is the only one that can overflow.
        let perImage = graph.largestSampleElements * MemoryLayout<Float>.stride
        let (total, overflow) = images.multipliedReportingOverflow(by: perImage)
        guard overflow || total > AllocationLimit.bytes else { return }
        let bytes = overflow ? "more than \(Int.max) bytes" : "\(total) bytes"
        let tensor = TerminalText.sanitized(graph.largestSampleTensor)
        let shape = (graph.sampleShape(of: graph.largestSampleTensor) ?? []).map(String.init).joined(separator: "x")
        throw EngineError("\(flag) \(images): \(what) of tensor '\(tensor)' (\(shape) floats per image) need \(bytes), "
                          + "more than the limit of \(AllocationLimit.bytes) bytes for one buffer; lower \(flag) "
                          + "(or raise BRECQ_MAX_TENSOR_BYTES)")
    }
}
