import Network
import Tensor

extension QuantizedModel {
    /// The model with every quantized activation calibrated: those already
    /// calibrated are kept, the others are fitted on `images` as a run
    /// calibrates them (each seeing the quantized network before it). A
    /// round-to-nearest model (`initial`) or a partial checkpoint's model
    /// becomes one that can be run and analysed.
    public func calibratingMissingActivations(graph: Graph, images: Tensor,
                                              configuration: QuantizationConfiguration) -> QuantizedModel {
        guard activations.contains(where: { $0.isQuantized && $0.quantizer == nil }) else { return self }
        let session = QuantizationSession(graph: graph, calibration: images, configuration: configuration, model: self)
        session.finishRemaining()
        return session.model
    }
}
