import ArgumentParser
import Engine
import Foundation
import Network

/// `brecq inspect`: the reconstruction units found in a model.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a model's units (stem, blocks, layers, head) with shapes, parameters and MACs."
    )

    @Argument(help: "ONNX model (default: the bundled ResNet-20 example).")
    var model: String?

    @Option(name: .customLong("model"), help: "The same as the argument, spelled as the other commands spell it.")
    var modelOption: String?

    private var modelPath: String { model ?? modelOption ?? ExampleModel.defaultPath }

    func validate() throws {
        if model != nil && modelOption != nil { throw ValidationError("give the model either as an argument or with --model, not both") }
        try InputPath.checkModel(modelPath)
    }

    @Option(name: .long, help: "Unit granularity: layer, block, stage or net.")
    var granularity: Granularity = .block

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let graph = try importGraph()
        let units = graph.units(for: granularity)
        if json {
            Console.print(try jsonReport(graph, units))
        } else {
            Console.print(table(graph, units))
        }
    }

    private func importGraph() throws -> Graph {
        do { return try LoadedModel.importGraph(path: modelPath) } catch { throw CommandFailure(ErrorText.oneLine(error)) }
    }

    private func layerSummary(_ graph: Graph, _ unit: ReconstructionUnit) -> String {
        unit.layers.compactMap { graph.node(named: $0)?.operation }.map { operation in
            switch operation {
            case .convolution(let p):
                return (p.isDepthwise ? "dw" : "conv") + "\(p.kernelHeight)x\(p.kernelWidth)" + (p.strideHeight > 1 ? "/\(p.strideHeight)" : "")
            case .linear(let p): return "fc\(p.inFeatures)>\(p.outFeatures)"
            default: return operation.kindName
            }
        }.joined(separator: " ")
    }

    private func table(_ graph: Graph, _ units: [ReconstructionUnit]) -> String {
        func shape(_ s: [Int]) -> String { s.map(String.init).joined(separator: "x") }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        let nameWidth = max(8, units.map(\.name.count).max() ?? 0) + 2
        let totalParameters = units.reduce(0) { $0 + $1.parameters }.formatted()
        let totalMACs = units.reduce(0) { $0 + $1.macs }.formatted()
        // Number columns as wide as their widest entry (the totals) plus a space, so they never run together.
        let paramsWidth = max(9, totalParameters.count + 1), macsWidth = max(12, totalMACs.count + 1)
        let outputWidth = max(11, (units.map { shape($0.outputShape).count }.max() ?? 0) + 1)
        var lines = ["\(modelPath): input \(shape(graph.inputSampleShape)), output \(shape(graph.outputSampleShape)), \(granularity.rawValue) granularity"]
        lines.append(pad("unit", nameWidth) + pad("kind", 19) + pad("output", outputWidth) + left("params", paramsWidth)
                     + left("MACs", macsWidth) + "  layers")
        for unit in units {
            lines.append(pad(unit.name, nameWidth) + pad(unit.kind.rawValue, 19) + pad(shape(unit.outputShape), outputWidth)
                         + left(unit.parameters.formatted(), paramsWidth) + left(unit.macs.formatted(), macsWidth) + "  "
                         + layerSummary(graph, unit))
        }
        let layerCount = Set(units.flatMap(\.layers)).count
        lines.append(pad("total", nameWidth) + pad("\(units.count) units", 19) + pad("", outputWidth)
                     + left(totalParameters, paramsWidth) + left(totalMACs, macsWidth) + "  \(layerCount) layers")
        if let softmax = graph.removedOutputSoftmax {
            lines.append("note: the final Softmax ('\(softmax)') is left out while quantizing (logits) and restored on export")
        }
        return lines.joined(separator: "\n")
    }

    private func jsonReport(_ graph: Graph, _ units: [ReconstructionUnit]) throws -> String {
        let unitObjects: [[String: Any]] = units.map { unit in
            ["name": unit.name, "kind": unit.kind.rawValue, "layers": unit.layers, "input": unit.input, "output": unit.output,
             "output_shape": unit.outputShape, "params": unit.parameters, "macs": unit.macs]
        }
        var object: [String: Any] = [
            "model": modelPath, "granularity": granularity.rawValue, "input_shape": graph.inputSampleShape,
            "output_shape": graph.outputSampleShape, "units": unitObjects,
            "totals": ["units": units.count, "layers": Set(units.flatMap(\.layers)).count,
                       "params": units.reduce(0) { $0 + $1.parameters }, "macs": units.reduce(0) { $0 + $1.macs }],
        ]
        if let softmax = graph.removedOutputSoftmax { object["removed_output_softmax"] = softmax }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
