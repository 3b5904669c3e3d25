import Engine
import Foundation
import Network
import Quantization

/// Valid inputs made in code, for the targets whose inputs must fit the fixed
/// graph (checkpoints, bits, latency tables, sensitivity tables) and a
/// minimal one for the others; the committed corpus adds real files.
public enum BuiltinSeeds {
    public static func seeds(_ target: FuzzTarget) -> [Data] {
        switch target {
        // ONNX seeds are files (Fuzz/corpus/onnx): models cannot be built in code outside Network.
        case .onnx: []
        case .idx: [idx([3, 2, 2], Array(0..<12)), idx([3], [0, 1, 2])]
        case .npy: [npy(descr: "|u1", shape: "(3, 2, 2)", Array(0..<12)), npy(descr: "<i8", shape: "(2,)", [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])]
        case .modelConfig: [Data(#"{"input_shape": [3, 16, 16], "classes": 10, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}"#.utf8)]
        case .eventLog: [eventLog()]
        case .theme: [Data("# seed\ntheme[main_fg]=\"#D8DEE9\"\ntheme[main_bg]=\"\"\n".utf8)]
        case .checkpoint: [checkpoint(events: false), checkpoint(events: true)]
        case .bitsConfig: [bitsConfiguration()]
        case .latencyTable: [latencyTable()]
        case .sensitivityCache: SearchFixture.measuredTable().map { [$0] } ?? []
        // Image seeds are files (Fuzz/corpus/image, made with PIL by scripts/make_fuzz_corpus.py).
        case .image: []
        case .viewerRequest: viewerRequests()
        }
    }

    /// One line of each kind of request an attached dashboard sends.
    static func viewerRequests() -> [Data] {
        let commands: [EngineCommand] = [
            .pause, .resume, .setIterations(current: 300, default: 1000), .lock(layer: layers[1], wbits: 4, abits: 8),
            .unlock(layer: layers[1]), .setHyperparameters(Hyperparameters(), restartCurrent: true), .restartUnit,
            .skipUnit, .rewind(unit: 1), .evaluate(images: 100), .startSearch,
        ]
        return [ViewerRequest.control.line()] + commands.map { ViewerRequest.command($0).line() }
    }

    static var layers: [String] { FixedGraph.graph.units(for: .layer).flatMap(\.layers) }

    static func idx(_ dimensions: [UInt32], _ values: [UInt8]) -> Data {
        var out = Data([0, 0, 0x08, UInt8(dimensions.count)])
        for d in dimensions { withUnsafeBytes(of: d.bigEndian) { out.append(contentsOf: $0) } }
        return out + values
    }

    static func npy(descr: String, shape: String, _ payload: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + payload)
    }

    static func json(_ value: some Encodable) -> Any {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? JSONSerialization.jsonObject(with: encoder.encode(value))) ?? [:]
    }

    static func serialized(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The fixed graph's initial quantized model with every activation quantizer calibrated (as after a run).
    static func calibratedModel(_ configuration: QuantizationConfiguration) -> QuantizedModel {
        var model = QuantizedModel.initial(graph: FixedGraph.graph, configuration: configuration)
        for k in model.activations.indices where model.activations[k].isQuantized {
            model.activations[k].quantizer = LearnedStepActivationQuantizer(bits: model.activations[k].bits, step: 0.05, zeroPoint: 0)
        }
        return model
    }

    /// A finished run's checkpoint for the fixed graph, as `CheckpointStore.save` writes it.
    public static func checkpoint(events: Bool) -> Data {
        let graph = FixedGraph.graph
        let model = calibratedModel(QuantizationConfiguration(weightBits: 4, activationBits: 4))
        let units = graph.units(for: .block)
        let records = units.enumerated().map { k, unit in
            EventRecord(time: Double(k), event: .unitFinished(UnitFinished(unit: k, name: unit.name, status: .done,
                                                                           lossBefore: 0.5, lossAfter: 0.1, seconds: 1)))
        }
        let recording = Data((records.compactMap { try? EventLog.line(for: $0) }.joined(separator: "\n") + "\n").utf8)
        let object: [String: Any] = [
            "version": QuantizedCheckpoint.formatVersion, "configuration": json(RunConfiguration(modelPath: "model.onnx", data: "fuzz")),
            // Both the fingerprint fields of format 2 and the digests of format 3 (the checkpoint branch); each ignores the other's.
            "modelFingerprint": "0", "dataFingerprint": "0", "modelSHA256": String(repeating: "0", count: 64),
            "dataSHA256": String(repeating: "0", count: 64), "eventsBytes": events ? recording.count : 0,
            "eventsSHA256": Digest.sha256Hex(events ? recording : Data()),
            "unitsDone": units.count, "model": json(model),
            "lockedLayers": [String](), "unitResults": records.map { record -> Any in
                if case .unitFinished(let u) = record.event { return json(u) } else { return [:] }
            },
            "elapsed": 1.0, "eventCount": events ? records.count : 0,
        ]
        var out = serialized(object)
        if events { out += CheckpointTarget.separator + recording }
        return out
    }

    public static func bitsConfiguration() -> Data {
        serialized(["layers": Dictionary(uniqueKeysWithValues: layers.map { ($0, ["wbits": 4, "abits": 4]) })])
    }

    public static func latencyTable() -> Data {
        serialized(["unit": "us", "layers": Dictionary(uniqueKeysWithValues: layers.enumerated().map { k, name in
            (name, ["2": 10.0 + Double(k), "4": 20.0 + Double(k), "8": 40.0 + Double(k)])
        })])
    }

    /// A short run of the fixed graph as the engine records it, every kind of event once or more.
    public static func eventLog() -> Data {
        let graph = FixedGraph.graph
        let units = graph.units(for: .block)
        let unitInfos = units.enumerated().map { k, u in
            UnitInfo(index: k, name: u.name, kind: u.kind.rawValue, layers: u.layers, outputShape: u.outputShape, params: u.parameters, macs: u.macs,
                     nodes: graph.structure(of: u))
        }
        let layerInfos = units.enumerated().flatMap { k, u in
            u.layers.map { LayerInfo(name: $0, unit: k, kind: "conv", params: 10, macs: 100, wbits: 4, abits: 4, locked: false) }
        }
        let info = SessionInfo(model: "model.onnx", data: "fuzz", method: .brecq, wbits: 4, abits: 4, granularity: .block,
                               iterations: 20, activationIterations: 0, calibrationSize: 8, seed: 0,
                               hyperparameters: Hyperparameters(), units: unitInfos, layers: layerInfos)
        var events: [EngineEvent] = [.sessionStarted(info), .stateChanged(.running),
                                     .evaluation(EvaluationResult(model: .fp, images: 8, top1: 0.5, top5: 1, kl: nil))]
        for (k, u) in unitInfos.enumerated() {
            events.append(.unitStarted(UnitStarted(unit: k, name: u.name, phase: .weights, iterations: 20, warmupIterations: 4)))
            for i in stride(from: 5, through: 20, by: 5) {
                events.append(.iteration(IterationStats(unit: k, phase: .weights, iteration: i, iterations: 20, reconstructionLoss: 1 / Double(i),
                                                        regularizerLoss: 0.1, beta: 10, iterationsPerSecond: 100)))
            }
            events.append(.rounding(RoundingSnapshot(unit: k, phase: .weights, iteration: 20, iterations: 20, beta: 2, layers: u.layers.map {
                LayerRoundingStatistics(layer: $0, weights: 10, flips: 1, undecided: 2, histogram: [4, 1, 0, 0, 0, 0, 0, 0, 1, 4])
            })))
            events.append(.unitFinished(UnitFinished(unit: k, name: u.name, status: .done, lossBefore: 0.5, lossAfter: 0.1, seconds: 1)))
            events.append(.checkpointWritten(CheckpointWritten(path: "/tmp/ckpt", unitsDone: k + 1)))
        }
        events += [.bitsChanged(BitsChange(layer: layerInfos[1].name, wbits: 2, abits: 4, locked: true)),
                   .rewound(Rewound(unit: 1, name: unitInfos[1].name, reason: "lock \(layerInfos[1].name) at W2A4")),
                   .iterationsChanged(IterationsChange(unit: 1, currentIterations: 30, defaultIterations: 20)),
                   .searchSensitivity(SensitivityProgress(unit: unitInfos[0].name, done: 1, total: 4, seconds: 0.5)),
                   .searchStarted(SearchStarted(generations: 3, population: 8, measure: "size", budget: 100, uniform4Cost: 120)),
                   .searchGeneration(GenerationStats(generation: 1, generations: 3, bestObjective: 0.1, meanObjective: 0.2, feasible: 8,
                                                     population: 8, bestBits: layerInfos.map { _ in 4 }, bestCost: 90, budget: 100)),
                   .message(Message(level: .warning, text: "layer \u{1B}]0;pwned\u{07}\u{1B}[31mred")),
                   .evaluation(EvaluationResult(model: .quantized(.init(done: unitInfos.count, total: unitInfos.count)), images: 8, top1: 0.4, top5: 1, kl: 0.1)),
                   .finished(RunSummary(fpTop1: 0.5, quantTop1: 0.4, wallSeconds: 12))]
        let lines = events.enumerated().compactMap { k, e in try? EventLog.line(for: EventRecord(time: Double(k) * 0.5, event: e)) }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
