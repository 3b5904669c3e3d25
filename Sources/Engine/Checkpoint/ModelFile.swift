import Foundation
import Network
import Quantization
import Tensor

/// The model file the user names, read once: the graph is imported from these
/// bytes and the checkpoint identifies the model by their SHA-256, so the digest
/// is of the model that was quantized (not of a second read that may differ).
/// A checkpoint's own model path is only named in messages; it is never opened.
struct ModelFile {
    let path: String
    let bytes: Data
    let sha256: String

    /// Refuses a directory, FIFO, device or over-large file with one line (`ONNXImportError.unreadable`).
    static func read(path: String) throws -> ModelFile {
        let bytes = try Graph.readONNXFile(path: path)
        return ModelFile(path: path, bytes: bytes, sha256: SHA256.hex(of: bytes))
    }

    /// This must be the model the checkpoint in `directory` was made from.
    func check(against checkpoint: Checkpoint, directory: String) throws {
        guard sha256 == checkpoint.modelSHA256 else {
            let theirs = TerminalText.sanitized(checkpoint.configuration.modelPath)
            throw CheckpointStore.Failure(description:
                "\(directory): the checkpoint was made from another model (\(theirs), SHA-256 \(SHA256.short(checkpoint.modelSHA256))…) "
                + "than --model \(path) (SHA-256 \(SHA256.short(sha256))…); give --model the run's model")
        }
    }
}
