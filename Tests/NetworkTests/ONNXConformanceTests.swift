import Foundation
import XCTest
@testable import Network
import Tensor

/// ONNX's own operator test cases (Debian `libonnx-testdata`): each case
/// directory has model.onnx and test_data_set_0/{input,output}_*.pb.
///
/// The cases feed weights as graph inputs; `bound` lists the inputs that are
/// bound as constants (weights, bias, bounds, shapes), the rest run as data.
/// Skipped cases and why:
/// - 1-D / 3-D pooling and convolution (`*_1d_*`, `*_3d_*`): 2-D only.
/// - `test_maxpool_2d_dilations`: dilations ≠ 1. `test_maxpool_2d_uint8`: integer data.
/// - `test_maxpool_with_argmax_*`: the indices output.
/// - `test_gemm_transposeA`, `test_gemm_all_attributes`: transA moves the batch axis.
/// - `test_gemm_default_matrix_bias`: a per-sample bias matrix is not a layer bias.
/// - `test_matmul_3d`, `test_matmul_4d`: batched matrix products.
/// - `test_batchnorm_*_training_mode`: training-mode statistics.
/// - `test_flatten_axis0/2/3`, negative axes other than −3: they merge the batch axis.
/// - `test_reshape_reordered_all_dims`, `test_reshape_one_dim`, `test_reshape_negative_extended_dims`:
///   they change the batch axis;
///   `test_reshape_allowzero_reordered`: an empty tensor.
/// - `test_clip_default_int8_*`: integer data.
/// - `test_concat_*_axis_0` and axes equal to −rank, `test_concat_1d_*`: they join along the batch axis.
/// - `test_mul_example`: 1-D, so its only axis is the batch. `test_mul_uint8`: integer data.
final class ONNXConformanceTests: XCTestCase {
    static let root = "/usr/share/libonnx-testdata/data/node"

    static let cases: [(name: String, bound: Set<Int>)] = [
        ("test_add", []), ("test_add_bcast", [1]), ("test_relu", []),
        ("test_leakyrelu", []), ("test_leakyrelu_default", []), ("test_leakyrelu_example", []),
        ("test_hardsigmoid", []), ("test_hardsigmoid_default", []), ("test_hardsigmoid_example", []),
        ("test_hardswish", []), ("test_sigmoid", []), ("test_sigmoid_example", []), ("test_tanh", []), ("test_tanh_example", []),
        ("test_mul", []), ("test_mul_bcast", [1]), ("test_mul_bcast", []),
        ("test_concat_2d_axis_1", []), ("test_concat_2d_axis_negative_1", []), ("test_concat_3d_axis_1", []),
        ("test_concat_3d_axis_2", []), ("test_concat_3d_axis_negative_1", []), ("test_concat_3d_axis_negative_2", []),
        ("test_basic_conv_with_padding", [1]), ("test_basic_conv_without_padding", [1]),
        ("test_conv_with_strides_padding", [1]), ("test_conv_with_strides_no_padding", [1]),
        ("test_conv_with_strides_and_asymmetric_padding", [1]), ("test_conv_with_autopad_same", [1]),
        ("test_gemm_alpha", [1, 2]), ("test_gemm_beta", [1, 2]), ("test_gemm_default_no_bias", [1]),
        ("test_gemm_default_scalar_bias", [1, 2]), ("test_gemm_default_single_elem_vector_bias", [1, 2]),
        ("test_gemm_default_vector_bias", [1, 2]), ("test_gemm_default_zero_bias", [1, 2]),
        ("test_gemm_transposeB", [1, 2]), ("test_matmul_2d", [1]),
        ("test_globalaveragepool", []), ("test_globalaveragepool_precomputed", []),
        ("test_maxpool_2d_default", []), ("test_maxpool_2d_pads", []), ("test_maxpool_2d_precomputed_pads", []),
        ("test_maxpool_2d_precomputed_same_upper", []), ("test_maxpool_2d_precomputed_strides", []),
        ("test_maxpool_2d_same_lower", []), ("test_maxpool_2d_same_upper", []), ("test_maxpool_2d_strides", []),
        ("test_maxpool_2d_ceil", []),
        ("test_averagepool_2d_default", []), ("test_averagepool_2d_pads", []),
        ("test_averagepool_2d_pads_count_include_pad", []), ("test_averagepool_2d_precomputed_pads", []),
        ("test_averagepool_2d_precomputed_pads_count_include_pad", []),
        ("test_averagepool_2d_precomputed_same_upper", []), ("test_averagepool_2d_precomputed_strides", []),
        ("test_averagepool_2d_same_lower", []), ("test_averagepool_2d_same_upper", []),
        ("test_averagepool_2d_strides", []), ("test_averagepool_2d_ceil", []),
        ("test_batchnorm_example", [1, 2, 3, 4]), ("test_batchnorm_epsilon", [1, 2, 3, 4]),
        ("test_clip", [1, 2]), ("test_clip_example", [1, 2]), ("test_clip_inbounds", [1, 2]),
        ("test_clip_outbounds", [1, 2]), ("test_clip_splitbounds", [1, 2]), ("test_clip_default_inbounds", []),
        ("test_clip_default_min", [1]), ("test_clip_default_max", [1]),
        ("test_flatten_axis1", []), ("test_flatten_default_axis", []), ("test_flatten_negative_axis3", []),
        ("test_reshape_reduced_dims", [1]), ("test_reshape_extended_dims", [1]), ("test_reshape_negative_dim", [1]),
("test_reshape_zero_dim", [1]),
        ("test_reshape_zero_and_negative_dim", [1]), ("test_reshape_reordered_last_dims", [1]),
    ]

    private func tensor(at path: String) throws -> Tensor {
        try Onnx_TensorProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: path))).decodedTensor()
    }

    func testSupportedOperatorCasesMatchTheirReferenceOutputs() throws {
        guard FileManager.default.fileExists(atPath: Self.root) else { throw XCTSkip("libonnx-testdata is not installed") }
        var failures = [String]()
        for (name, bound) in Self.cases {
            let directory = "\(Self.root)/\(name)"
            do {
                let modelData = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/model.onnx"))
                let model = try Onnx_ModelProto(serializedBytes: modelData)
                var constants = [String: Tensor]()
                var feeds = [String: Tensor]()
                for (index, input) in model.graph.input.enumerated() {
                    let value = try tensor(at: "\(directory)/test_data_set_0/input_\(index).pb")
                    if bound.contains(index) { constants[input.name] = value } else { feeds[input.name] = value }
                }
                let expected = try tensor(at: "\(directory)/test_data_set_0/output_0.pb")
                let graph = try Graph.importONNX(data: modelData, source: name, options: ONNXImportOptions(boundInputs: constants))
                let executor = GraphExecutor(graph: graph)
                let output = try executor.run(feeding: feeds, returning: [graph.output])[graph.output]!
                guard output.shape == expected.shape else {
                    failures.append("\(name): shape \(output.shape), expected \(expected.shape)")
                    continue
                }
                let worst = zip(output.data, expected.data).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
                if !(worst <= 1e-5) { failures.append("\(name): relative difference \(worst)") }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    /// Unsupported attributes fail with a message naming the attribute, not a wrong answer.
    func testUnsupportedAttributesAreRejected() throws {
        guard FileManager.default.fileExists(atPath: Self.root) else { throw XCTSkip("libonnx-testdata is not installed") }
        for (name, attribute) in [("test_maxpool_2d_dilations", "dilations"), ("test_flatten_axis2", "axis"),
                                  ("test_batchnorm_example_training_mode", "training_mode")] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/\(name)/model.onnx"))
            let model = try Onnx_ModelProto(serializedBytes: data)
            var bound = [String: Tensor]()
            for (index, input) in model.graph.input.enumerated().dropFirst() {
                bound[input.name] = try tensor(at: "\(Self.root)/\(name)/test_data_set_0/input_\(index).pb")
            }
            XCTAssertThrowsError(try Graph.importONNX(data: data, source: name, options: ONNXImportOptions(boundInputs: bound))) { error in
                guard case ONNXImportError.unsupportedAttribute(_, _, let found, _) = error else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(found, attribute, name)
            }
        }
    }
}
