import Network
import Tensor
import XCTest
@testable import Quantization

final class ReconstructionTests: XCTestCase {
    private func unit(_ graph: Graph, kind: UnitKind, index: Int = 0) -> ReconstructionUnit {
        graph.blockUnits().filter { $0.kind == kind }[index]
    }

    func testBlocksAreFoundInTinyNetwork() {
        let kinds = TinyNetwork.graph().blockUnits().map(\.kind)
        XCTAssertEqual(kinds, [.stem, .basic, .basic, .head])
    }

    func testActivationPlacementAndBits() {
        let graph = TinyNetwork.graph()
        let model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4, activationBits: 4))
        let placed = model.activations.map { "\($0.tensor):\($0.role.rawValue):\($0.bits)" }
        // Stem output 8 bits; inner ReLUs and block outputs at 4; the classifier's
        // input (after pool+flatten) at 8. Not: conv2 outputs, shortcut, logits, image.
        XCTAssertEqual(placed, ["s_r:stemOutput:8", "b1r1:inner:4", "b1o:unitOutput:4", "b2r1:inner:4",
                                "b2o:unitOutput:4", "f:classifierInput:8"])
        XCTAssertEqual(model.inputActivationBits(ofLayer: "stem"), 32)
        XCTAssertEqual(model.inputActivationBits(ofLayer: "b2_short"), 4)
        XCTAssertEqual(model.inputActivationBits(ofLayer: "fc"), 8)
        XCTAssertEqual(model.weightBits["stem"], 8)
        XCTAssertEqual(model.weightBits["fc"], 8)
        XCTAssertEqual(model.weightBits["b1_conv1"], 4)
        let weightsOnly = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4))
        XCTAssertTrue(weightsOnly.activations.allSatisfy { !$0.isQuantized })
    }

    private func runBlock(seed: UInt64, iterations: Int, loss: Hyperparameters.Loss = .mse,
                          qdrop: Double = 0, abits: Int = 32) -> (before: Double, after: Double, stats: [StepStats], model: QuantizedModel) {
        let graph = TinyNetwork.graph()
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(64),
                                          configuration: QuantizationConfiguration(weightBits: 2, activationBits: abits))
        var h = Hyperparameters()
        h.batchSize = 16
        h.loss = loss
        h.qdrop = qdrop
        var rng = Xoshiro256StarStar(seed: seed)
        var stats: [StepStats] = []
        var before = 0.0, after = 0.0
        let block = unit(graph, kind: .basic)
        for (k, phase) in session.phases(for: block, hyperparameters: h).enumerated() {
            let r = try! session.makeReconstructor(unit: block, phase: phase, hyperparameters: h, iterations: iterations, random: rng.split())
            if k == 0 { before = r.lossBefore }
            while !r.isComplete { stats.append(r.step()) }
            after = r.finish()
        }
        return (before, after, stats, session.model)
    }

    func testBlockReconstructionLowersLoss() {
        // 2-bit weights; with fewer iterations the regulariser has not yet pushed
        // h to 0/1 and hard rounding loses what the soft weights gained.
        let run = runBlock(seed: 7, iterations: 1000)
        XCTAssertGreaterThan(run.before, 0)
        XCTAssertLessThan(run.after, run.before * 0.75, "before \(run.before) after \(run.after)")
        let layer = run.model.layer(named: "b1_conv1")!
        XCTAssertEqual(layer.rounding, .adaround)
        XCTAssertEqual(run.model.layer(named: "b2_conv1")!.rounding, .nearest)
        // Warm-up: the regulariser is off for the first 20% and β decays after.
        XCTAssertEqual(run.stats[0].regularizerLoss, 0)
        XCTAssertEqual(run.stats[198].beta, 0)
        XCTAssertEqual(run.stats[199].beta, 20)
        XCTAssertGreaterThan(run.stats[199].regularizerLoss, 0)
        XCTAssertEqual(run.stats[999].beta, 2)
    }

    func testSameSeedGivesIdenticalResults() {
        let a = runBlock(seed: 3, iterations: 40), b = runBlock(seed: 3, iterations: 40)
        XCTAssertEqual(a.stats, b.stats)
        XCTAssertEqual(a.model, b.model)
        let c = runBlock(seed: 4, iterations: 40)
        XCTAssertNotEqual(a.stats.map(\.reconstructionLoss), c.stats.map(\.reconstructionLoss))
    }

    /// A batch run as two slices side by side (`ReconstructionShard`) takes the
    /// same steps as the whole batch in one executor: the loss is the mean over
    /// the whole batch and the gradients are the slices' sums. Weights and
    /// activation (LSQ step) phases; only float summation order differs.
    func testSlicedBatchTakesTheSameStepsAsTheWholeBatch() throws {
        for phase in [UnitPhase.weights, .activations] {
            var runs: [[StepStats]] = []
            var hardLosses: [Double] = []
            for slices in [1, 2] {
                let graph = TinyNetwork.graph()
                let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(64),
                                                  configuration: QuantizationConfiguration(weightBits: 2, activationBits: 3))
                var h = Hyperparameters()
                h.batchSize = 16
                let block = unit(graph, kind: .basic)
                let r = try session.makeReconstructor(unit: block, phase: phase, hyperparameters: h, iterations: 30,
                                                      random: Xoshiro256StarStar(seed: 11), slices: slices)
                XCTAssertEqual(r.sliceCount, slices)
                var stats: [StepStats] = []
                while !r.isComplete { stats.append(r.step()) }
                runs.append(stats)
                hardLosses.append(r.hardLoss())
            }
            XCTAssertEqual(runs[0].count, 30)
            for (a, b) in zip(runs[0], runs[1]) {
                XCTAssertEqual(a.reconstructionLoss, b.reconstructionLoss, accuracy: 1e-4 * a.reconstructionLoss, "\(phase) step \(a.iteration)")
                XCTAssertEqual(a.regularizerLoss, b.regularizerLoss, accuracy: 1e-4 * max(a.regularizerLoss, 1e-6))
            }
            XCTAssertEqual(hardLosses[0], hardLosses[1], accuracy: 1e-4 * hardLosses[0], "\(phase)")
        }
        // The default: two slices from 16 examples on, so the runs above took the sliced path.
        XCTAssertEqual(ReconstructionShard.count(batchSize: 16), 2)
        XCTAssertEqual(ReconstructionShard.count(batchSize: 8), 1)
        XCTAssertEqual(ReconstructionShard.rows(of: Array(0..<5), slice: 0, of: 2), [0, 1])
        XCTAssertEqual(ReconstructionShard.rows(of: Array(0..<5), slice: 1, of: 2), [2, 3, 4])
    }

    func testActivationPhaseAndQDropLowerLoss() {
        let twoPhase = runBlock(seed: 5, iterations: 150, abits: 3)
        XCTAssertEqual(Set(twoPhase.stats.map(\.phase)), [.weights, .activations])
        XCTAssertTrue(twoPhase.model.activations.filter { $0.tensor == "b1r1" || $0.tensor == "b1o" }.allSatisfy { $0.isActive })
        let joint = runBlock(seed: 5, iterations: 150, qdrop: 0.5, abits: 3)
        XCTAssertEqual(Set(joint.stats.map(\.phase)), [.joint])
        XCTAssertLessThan(joint.after, joint.before, "joint before \(joint.before) after \(joint.after)")
    }

    func testFisherReconstructionRuns() {
        let run = runBlock(seed: 9, iterations: 100, loss: .fisher)
        XCTAssertLessThan(run.after, run.before)
    }

    /// g = |∂L/∂z| + 1 against central differences of L through the FP rest of the network.
    func testFisherWeightsMatchFiniteDifferences() {
        let graph = TinyNetwork.graph()
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(8),
                                          configuration: QuantizationConfiguration(weightBits: 2))
        let block = unit(graph, kind: .basic)
        let data = try! session.prepare(unit: block, range: block.nodeRange!)
        let g = FisherWeights.compute(session: session, unitRange: block.nodeRange!, inputName: data.inputName,
                                      inputs: data.inputs, withActivations: false).tensor()
        // z: the block's output with round-to-nearest weights.
        let z = QuantizationSession.run(session.makeExecutor(nodes: block.nodeRange!, input: data.inputName, quantized: true),
                                        on: data.inputs.tensor(), chunk: 8)
        let restRange = block.nodeRange!.upperBound..<graph.nodes.count
        let per = z.count / 8
        func kl(_ example: Int, _ values: [Float]) -> Double {
            let rest = GraphExecutor(graph: graph, nodes: restRange)
            rest.setInput(Tensor(shape: [1] + Array(z.shape.dropFirst()), data: values))
            var rng = Xoshiro256StarStar(seed: 0)
            rest.forward(random: &rng)
            let target = QuantizationSession.rows(of: session.fpLogits, example..<(example + 1))
            return Double(KLDivergence.forward(targetLogits: target, logits: rest.output))
        }
        var checked = 0
        for example in [0, 5] {
            let base = Array(z.data[example * per..<(example + 1) * per])
            for k in stride(from: 0, to: per, by: 7) {
                let eps: Float = 1e-2
                var plus = base, minus = base
                plus[k] += eps; minus[k] -= eps
                let derivative = (kl(example, plus) - kl(example, minus)) / Double(2 * eps)
                let expected = abs(derivative) / Double(FisherWeights.referenceBatchSize) + 1
                XCTAssertEqual(Double(g.data[example * per + k]), expected, accuracy: 2e-4 + 2e-2 * abs(expected - 1),
                               "example \(example) element \(k)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
        XCTAssertTrue(g.data.contains { $0 > 1 }, "some gradient must be non-zero")
    }

    func testSkipKeepsRoundToNearest() {
        let graph = TinyNetwork.graph()
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(32),
                                          configuration: QuantizationConfiguration(weightBits: 3))
        let before = session.model
        let r = try! session.makeReconstructor(unit: unit(graph, kind: .basic), phase: .weights, hyperparameters: Hyperparameters(),
                                               iterations: 10, random: Xoshiro256StarStar(seed: 1))
        _ = r.step()
        XCTAssertEqual(r.skip(), r.lossBefore)
        XCTAssertEqual(session.model.layers, before.layers)
    }

    func testEvaluatorEightBitIsCloseToFP() throws {
        let graph = TinyNetwork.graph()
        let images = TinyNetwork.images(50, seed: 9)
        let evaluator = Evaluator(graph: graph, images: images, labels: (0..<50).map { $0 % 5 })
        let fp = try evaluator.evaluateFP()
        XCTAssertNil(fp.kl)
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(32),
                                          configuration: QuantizationConfiguration(weightBits: 8, activationBits: 8))
        session.finishRemaining()
        XCTAssertTrue(session.model.activations.allSatisfy(\.isActive))
        let q8 = try evaluator.evaluate(session.model)
        let session2 = QuantizationSession(graph: graph, calibration: TinyNetwork.images(32),
                                           configuration: QuantizationConfiguration(weightBits: 2, activationBits: 2))
        session2.finishRemaining()
        let q2 = try evaluator.evaluate(session2.model)
        XCTAssertLessThan(q8.kl!, q2.kl!)
        XCTAssertLessThan(q8.kl!, 1e-2)
        XCTAssertEqual(try evaluator.evaluate(session.model, images: 10).images, 10)
    }
}
