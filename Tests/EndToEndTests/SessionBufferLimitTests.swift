import TestFixtures
import XCTest

/// The session holds activations for every calibration image and every image
/// of a batch. With a low `BRECQ_MAX_TENSOR_BYTES` (the limit the importer holds
/// one image's activations to), a calibration set whose activations would pass
/// it is refused before any work, in one line naming the flag to lower and the tensor.
final class SessionBufferLimitTests: TinyModelTestCase {
    /// Above the model file (~33 KB), the data files (≤ 32 KB) and one image's
    /// activations; below 128 images' activations of the tiny ResNet.
    private let limit = 200_000

    private func quantize(_ flags: [String]) throws -> CommandResult {
        try CommandRun.brecq(["quantize", "--model", model.model, "--data", model.path, "--iters", "5",
                              "--summary", model.file("summary.json")] + flags,
                             timeout: 120, extraEnvironment: ["BRECQ_MAX_TENSOR_BYTES": String(limit)])
    }

    func testACalibrationSetOverTheLimitNamesTheFlagAndTheTensor() throws {
        let result = try quantize(["--calib-size", "128", "--batch-size", "4"])
        assertOneErrorLine(result, mentions: ["--calib-size 128", "calibration set's activations", "of tensor '",
                                              "more than the limit of \(limit) bytes", "lower --calib-size"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("summary.json")), "the run went on and wrote a summary")
    }
}
