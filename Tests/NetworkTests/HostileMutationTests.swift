import Foundation
import TestFixtures
import XCTest
@testable import Network
import Tensor

/// A small deterministic mutation run over the fixture models: attributes,
/// dimensions and tensor names replaced by hostile values. Whatever imports
/// must also detect blocks and run one sample; nothing may trap. (The libFuzzer
/// targets explore far more; this keeps the common paths honest in every test run.)
final class HostileMutationTests: XCTestCase {
    private static let hostileIntegers: [Int64] = [0, -1, 1, 2, 3, 7, 1 << 31, 1 << 62, .max, .min, -(1 << 62)]

    private func mutate(_ model: inout Onnx_ModelProto, _ rng: inout Xoshiro256StarStar) {
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        let hostile = pick(Self.hostileIntegers)
        switch rng.next() % 6 {
        case 0 where !model.graph.node.isEmpty:
            let n = Int(rng.next() % UInt64(model.graph.node.count))
            guard !model.graph.node[n].attribute.isEmpty else { return }
            let a = Int(rng.next() % UInt64(model.graph.node[n].attribute.count))
            if model.graph.node[n].attribute[a].ints.isEmpty {
                model.graph.node[n].attribute[a].i = hostile
            } else {
                let k = Int(rng.next() % UInt64(model.graph.node[n].attribute[a].ints.count))
                model.graph.node[n].attribute[a].ints[k] = hostile
            }
        case 1 where !model.graph.initializer.isEmpty:
            let t = Int(rng.next() % UInt64(model.graph.initializer.count))
            guard !model.graph.initializer[t].dims.isEmpty else { return }
            let k = Int(rng.next() % UInt64(model.graph.initializer[t].dims.count))
            model.graph.initializer[t].dims[k] = hostile
        case 2 where !model.graph.node.isEmpty:
            // Rewire an input to another node's output (possibly a later one).
            let n = Int(rng.next() % UInt64(model.graph.node.count))
            let m = Int(rng.next() % UInt64(model.graph.node.count))
            guard !model.graph.node[n].input.isEmpty, let other = model.graph.node[m].output.first else { return }
            model.graph.node[n].input[Int(rng.next() % UInt64(model.graph.node[n].input.count))] = other
        case 3 where !model.graph.node.isEmpty:
            let n = Int(rng.next() % UInt64(model.graph.node.count))
            model.graph.node[n].attribute.append(pick([HostileModel.ints("pads", [hostile, 1, 1, hostile]),
                                                       HostileModel.int("group", hostile),
                                                       HostileModel.ints("strides", [hostile, 1]),
                                                       HostileModel.string("alpha", "x"),
                                                       HostileModel.ints("kernel_shape", [hostile, 2])]))
        case 4 where !model.graph.node.isEmpty:
            model.graph.node.remove(at: Int(rng.next() % UInt64(model.graph.node.count)))
        default:
            guard !model.graph.input.isEmpty, !model.graph.input[0].type.tensorType.shape.dim.isEmpty else { return }
            let dims = model.graph.input[0].type.tensorType.shape.dim.count
            model.graph.input[0].type.tensorType.shape.dim[Int(rng.next() % UInt64(dims))].dimValue = hostile
        }
    }

    func testMutatedFixturesImportRunOrFailWithOneLine() throws {
        // BRECQ_MUTATION_ROUNDS and BRECQ_MUTATION_SEED run a longer search locally.
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["BRECQ_MUTATION_ROUNDS"].flatMap { Int($0) } ?? 150
        var rng = Xoshiro256StarStar(seed: environment["BRECQ_MUTATION_SEED"].flatMap { UInt64($0) } ?? 14)
        var imported = 0, refused = 0
        for fixture in ["tiny_resnet.onnx", "tiny_mobilenet.onnx", "tiny_branches.onnx", "tiny_view.onnx", "tiny_ops.onnx", "handmade_gemm.onnx"] {
            let original = try Onnx_ModelProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: fixturePath(fixture))))
            for _ in 0..<rounds {
                var model = original
                for _ in 0..<(1 + Int(rng.next() % 3)) { mutate(&model, &rng) }
                let graph: Graph
                do {
                    graph = try Graph.importONNX(data: try model.serializedData(), source: fixture)
                } catch {
                    XCTAssertFalse("\(error)".contains("\n"), "\(error)")
                    refused += 1
                    continue
                }
                imported += 1
                _ = graph.blockUnits()
                for granularity in Granularity.allCases { _ = graph.units(for: granularity) }
                guard (try? graph.checkBatch(2)) != nil, graph.largestSampleElements < 1 << 20 else { continue }
                let executor = GraphExecutor(graph: graph)
                _ = try? executor.logits(for: randomTensor([2] + graph.inputSampleShape, seed: 1))
            }
        }
        XCTAssertGreaterThan(imported, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    /// Byte flips in NPY and IDX files (raw and gzip) and in config.json text.
    func testMutatedDataFilesParseOrFailWithOneLine() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["BRECQ_MUTATION_ROUNDS"].flatMap { Int($0) } ?? 300
        var rng = Xoshiro256StarStar(seed: environment["BRECQ_MUTATION_SEED"].flatMap { UInt64($0) } ?? 14)
        let directory = try temporaryDirectory()
        let npyPath = directory.appendingPathComponent("a.npy").path
        try NPYArray(shape: [2, 1, 2, 3], values: (0..<12).map(Double.init)).write(to: npyPath)
        let npy = try Data(contentsOf: URL(fileURLWithPath: npyPath))
        let idx = Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + [UInt8](repeating: 7, count: 12))
        let config = Data(#"{"input_shape": [1, 2, 3], "classes": 4, "mean": [0.5], "std": [0.25], "scale": 0.5}"#.utf8)
        var parsed = 0
        for round in 0..<rounds {
            for original in [npy, idx, config] {
                var bytes = [UInt8](original)
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = rng.next() % 3 == 0 ? 0xff : UInt8(truncatingIfNeeded: rng.next())
                }
                if round % 7 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1)))) }
                let data = Data(bytes)
                for attempt in [{ _ = try NPYArray(bytes: data, path: "m.npy") },
                                { _ = try IDXFile(bytes: data, path: "m.idx") },
                                { _ = try ModelConfig.decode(data: data, path: "m.json") }] as [() throws -> Void] {
                    do { try attempt(); parsed += 1 } catch { XCTAssertFalse("\(error)".contains("\n"), "\(error)") }
                }
            }
        }
        XCTAssertGreaterThan(parsed, 0)
    }
}
