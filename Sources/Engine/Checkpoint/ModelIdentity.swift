import Foundation
import Quantization
import Tensor

/// Whether the model file the user names is the one a checkpoint was made
/// from: the same SHA-256. The checkpoint's own model path is only named in
/// the message; it is never opened.
enum ModelIdentity {
    static func digest(modelPath: String) throws -> String {
        do { return try SHA256.hex(ofFile: modelPath, followingLinks: true) } catch {
            throw CheckpointStore.Failure(description: "--model \(error)")
        }
    }

    static func check(modelPath: String, against checkpoint: Checkpoint, directory: String) throws {
        let digest = try digest(modelPath: modelPath)
        guard digest == checkpoint.modelSHA256 else {
            throw mismatch(modelPath: modelPath, digest: digest, checkpoint: checkpoint, directory: directory)
        }
    }

    static func mismatch(modelPath: String, digest: String, checkpoint: Checkpoint, directory: String) -> CheckpointStore.Failure {
        let theirs = TerminalText.sanitized(checkpoint.configuration.modelPath)
        return CheckpointStore.Failure(description:
            "\(directory): the checkpoint was made from another model (\(theirs), SHA-256 \(SHA256.short(checkpoint.modelSHA256))…) "
            + "than --model \(modelPath) (SHA-256 \(SHA256.short(digest))…); give --model the run's model")
    }
}
