import Foundation

/// One parser of untrusted input, run the way the CLI runs it: the same public
/// entry point, then what the command does next with the result (a forward
/// pass, an export, a search, a dashboard frame). A target passes an input
/// when it returns or throws; a trap, a hang or a huge allocation is a bug.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case onnx
    case idx
    case npy
    case modelConfig = "model-config"
    case eventLog = "event-log"
    case theme
    case checkpoint
    case bitsConfig = "bits-config"
    case latencyTable = "latency-table"
    case sensitivityCache = "sensitivity-cache"
    case image
    case viewerRequest = "viewer-request"

    /// Runs one input. Errors are the parser saying no, which is a pass.
    public func run(_ input: Data) throws {
        FuzzEnvironment.prepare()
        switch self {
        case .onnx: try ONNXTarget.run(input)
        case .idx: try DatasetTarget.runIDX(input)
        case .npy: try DatasetTarget.runNPY(input)
        case .modelConfig: try ModelConfigTarget.run(input)
        case .eventLog: try EventLogTarget.run(input)
        case .theme: try ThemeTarget.run(input)
        case .checkpoint: try CheckpointTarget.run(input)
        case .bitsConfig: try BitsConfigTarget.run(input)
        case .latencyTable: try LatencyTableTarget.run(input)
        case .sensitivityCache: try SensitivityCacheTarget.run(input)
        case .image: try ImageTarget.run(input)
        case .viewerRequest: try ViewerRequestTarget.run(input)
        }
    }

    /// What the structure-aware mutator may assume about the bytes.
    var format: InputFormat {
        switch self {
        case .onnx: .onnx
        case .idx, .npy, .image: .binary
        case .theme: .text
        case .eventLog: .jsonLines
        case .modelConfig, .checkpoint, .bitsConfig, .latencyTable, .sensitivityCache, .viewerRequest: .json
        }
    }
}

enum InputFormat { case onnx, binary, text, json, jsonLines }

/// A harness-level refusal (an input too large to feed, say): a pass, like a parser's error.
struct FuzzRejection: Error, CustomStringConvertible {
    var description: String
}
