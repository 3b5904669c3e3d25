import XCTest
import Engine
import Network
@testable import Dashboard

/// What the dashboard shows of a 224×224 model (issue #18): the input shape in
/// the header, the model's directory kept at 80 columns (every export is
/// `model.onnx`), and the engine's `progress` stages while no unit iterates:
/// decoding an image folder before the session starts, preparing a unit between
/// two. Snapshots at 80×24; re-record with BRECQ_RECORD_SNAPSHOTS=1.
final class ImageNetScreenTests: XCTestCase {
    typealias S = SyntheticSession
    static let small = TerminalSize(width: 80, height: 24)

    static var info: SessionInfo {
        var info = S.info
        info.model = "/home/user/models/resnet18/model.onnx"
        info.data = "/home/user/data/imagenet-val"
        info.inputShape = [3, 224, 224]
        return info
    }

    static func progress(_ t: Double, _ stage: String, _ done: Int, _ total: Int) -> EventRecord {
        S.record(t, .progress(StageProgress(stage: stage, done: done, total: total)))
    }

    /// Before `session_started`: the decoding stage, its count and bar, in the header and the empty panels.
    func testDecodingBeforeTheSession() {
        var s = S.state([Self.progress(2.5, "decoding training images", 40, 64)])
        s.now = 0
        let grid = DashboardView.render(s, size: Self.small, charset: .unicode)
        assertSnapshot(grid, named: "imagenet-decoding-80x24-utf8")
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(rows[1].contains("decoding training images 40/64 ━━━━━━────"), String(rows[1]))
        // The narrow units panel wraps it rather than cutting the count ("40/6").
        XCTAssertTrue(rows[4].contains("│ decoding training images "), "the empty units panel says it too:\n\(grid.text)")
        XCTAssertTrue(rows[5].contains("│ 40/64 "), "the count stays whole:\n\(grid.text)")
        XCTAssertFalse(rows.dropFirst().contains { $0.contains("waiting for the session") }, grid.text)
        assertSnapshot(DashboardView.render(s, size: Self.small, charset: .ascii), named: "imagenet-decoding-80x24-ascii")
    }

    /// Without any progress event yet, the state says what the engine is doing; a finished stage says nothing.
    func testStatesBeforeTheSession() {
        XCTAssertEqual(DashboardState().activity, "loading the model and data…")
        XCTAssertEqual(S.state([S.record(1, .stateChanged(.calibrating))]).activity, "calibrating the quantizers…")
        let decoded = S.state([Self.progress(2, "decoding evaluation images", 4, 4)])
        XCTAssertEqual(decoded.activity, "loading the model and data…", "a finished stage is not shown")
        // A state change ends the stage that led to it.
        let calibrating = S.state([Self.progress(2, "decoding evaluation images", 3, 4), S.record(3, .stateChanged(.calibrating))])
        XCTAssertNil(calibrating.progress)
        XCTAssertEqual(calibrating.activity, "calibrating the quantizers…")
    }

    /// Between units: "preparing layer3.0…" until the unit starts; the header keeps the shape and the model's directory.
    func testPreparingBetweenUnits() {
        var records = S.midRun().prefix { if case .unitStarted(let u) = $0.event { u.unit != 3 } else { true } }.map { $0 }
        records[0] = S.record(0, .sessionStarted(Self.info))
        records.append(S.record(62, .progress(StageProgress(stage: "preparing", done: 0, total: 1, unit: 3))))
        var s = S.state(records)
        s.now = 0
        let grid = DashboardView.render(s, size: Self.small, charset: .unicode)
        assertSnapshot(grid, named: "imagenet-preparing-80x24-utf8")
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(rows[0].contains("brecq W4A8 block · 3×224×224 · …/resnet18/model.onnx"), String(rows[0]))
        XCTAssertTrue(rows[1].hasPrefix(" preparing layer3.0… · units 3/5 done"), String(rows[1]))
        XCTAssertFalse(s.log.entries.contains { $0.text.contains("preparing") }, "progress is not logged")

        // The unit starting ends the stage.
        let started = DashboardReducer.update(s, .engine(S.record(63, .unitStarted(UnitStarted(
            unit: 3, name: "layer3.0", phase: .weights, iterations: 2000, warmupIterations: 400))))).0
        XCTAssertNil(started.activity)
        XCTAssertFalse(DashboardView.render(started, size: Self.small, charset: .unicode).text.contains("preparing"))
        assertSnapshot(DashboardView.render(s, size: Self.small, charset: .ascii), named: "imagenet-preparing-80x24-ascii")
    }

    /// Recordings from before `input_shape` existed show no shape; a hostile one is refused, naming the field.
    func testInputShapeFromRecordings() throws {
        var old = Self.info
        old.inputShape = nil
        let line = try EventLog.line(for: S.record(0, .sessionStarted(old)))
        XCTAssertFalse(line.contains("input_shape"))
        guard case .sessionStarted(let decoded) = try EventLog.record(fromLine: Data(line.utf8)).event else { return XCTFail(line) }
        XCTAssertNil(decoded.inputShape)

        let withShape = try EventLog.line(for: S.record(0, .sessionStarted(Self.info)))
        XCTAssertTrue(withShape.contains("\"input_shape\":[3,224,224]"), withShape)
        let hostile = withShape.replacingOccurrences(of: "\"input_shape\":[3,224,224]", with: "\"input_shape\":[3,-224,224]")
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(hostile.utf8))) { error in
            XCTAssertTrue("\(error)".contains("input_shape[1]"), "\(error)")
        }
        let progress = try EventLog.line(for: Self.progress(1, "decoding training images", 5, 4))
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(progress.utf8)), "done beyond total")
    }

    /// A 224×224 unit runs at about one iteration a second, or slower: never "0 it/s".
    func testSlowRatesAndLongDurations() {
        XCTAssertEqual(NumberFormat.rate(2.14), "2.1 it/s")
        XCTAssertEqual(NumberFormat.rate(0.97), "1 it/s")
        XCTAssertEqual(NumberFormat.rate(0.08), "12.5 s/it")
        XCTAssertEqual(NumberFormat.rate(0.004), "250 s/it")
        XCTAssertEqual(NumberFormat.rate(0), "– it/s")
        XCTAssertEqual(NumberFormat.duration(44 * 3600), "44h00m")
        XCTAssertEqual(NumberFormat.duration(3 * 86_400 + 4 * 3600 + 59), "3d04h")
        var s = S.state(S.midRun())
        s.iterationsPerSecond = 0.04
        let header = DashboardView.render(s, size: TerminalSize(width: 120, height: 40), charset: .unicode).text
            .split(separator: "\n")[1]
        XCTAssertTrue(header.contains("25 s/it"), String(header))
    }

    /// An 8-bit layer that changes nothing sums to a KL of -1e-7 in float: shown as 0, a real negative stays.
    func testDivergenceRoundingNoise() {
        XCTAssertEqual(NumberFormat.divergence(-1.1e-7), "0")
        XCTAssertEqual(NumberFormat.divergence(0.0123), "0.0123")
        XCTAssertEqual(NumberFormat.divergence(-0.5), "-0.5")
    }

    /// ResNet-50's 54 layers and MobileNetV3-small's, as torch exports name them, in a ten-column
    /// list (the units panel of a layer-wise run at 80×24): every row distinct and naming its block.
    func testTorchvisionLayerNamesStayDistinctWhenNarrow() {
        var resnet50: [String] = ["/conv1/Conv"]
        for (stage, blocks) in [(1, 3), (2, 4), (3, 6), (4, 3)] {
            for b in 0..<blocks {
                for conv in 1...3 { resnet50.append("/layer\(stage)/layer\(stage).\(b)/conv\(conv)/Conv") }
                if b == 0 { resnet50.append("/layer\(stage)/layer\(stage).\(b)/downsample/downsample.0/Conv") }
            }
        }
        resnet50.append("/fc/Gemm")
        var mobilenet: [String] = []
        for f in 1...11 {
            // As the export names them: features.1 is dw, SE, project; 2 and 3 expand, dw, project;
            // 4–11 expand, dw, SE (fc1, fc2), project.
            let parts = f == 1 ? 3 : f <= 3 ? 3 : 4
            let se = f == 1 ? 1 : f <= 3 ? nil : 2
            mobilenet += (0..<parts).filter { $0 != se }.map { "/features/features.\(f)/block/block.\($0)/block.\($0).0/Conv" }
            if let se { mobilenet += ["fc1", "fc2"].map { "/features/features.\(f)/block/block.\(se)/\($0)/Conv" } }
        }
        for names in [resnet50, mobilenet] {
            for width in [9, 10, 14, 20] {
                let fitted = names.map { LayerName.fit($0, width: width, charset: .unicode) }
                XCTAssertTrue(fitted.allSatisfy { $0.count <= width }, "\(fitted)")
                XCTAssertEqual(Set(fitted).count, fitted.count, "rows collide at width \(width): \(fitted)")
            }
        }
        XCTAssertEqual(LayerName.fit("/layer3/layer3.0/conv1/Conv", width: 10, charset: .unicode), "3.0/conv1")
        // A unit named by its layer whose last component repeats the block keeps that component's end.
        XCTAssertEqual(LayerName.fit("/features/features.12/features.12.0/Conv", width: 10, charset: .unicode), "…ures.12.0")
        XCTAssertEqual(LayerName.fit("/layer2/layer2.0/downsample/downsample.0/Conv", width: 19, charset: .unicode), "2.0/downsample.0")
    }

    /// The engine numbers blocks; the dashboard adds the module the user knows from the model.
    func testModuleNames() {
        func unit(_ name: String, _ layers: [String]) -> UnitInfo {
            UnitInfo(index: 1, name: name, kind: "basic", layers: layers, outputShape: [64, 56, 56], params: 1, macs: 1)
        }
        XCTAssertEqual(ModuleName.of(unit("block1", ["/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/conv2/Conv"])), "layer1.0")
        XCTAssertEqual(ModuleName.of(unit("block4", ["/layer2/layer2.0/downsample/downsample.0/Conv", "/layer2/layer2.0/conv1/Conv"])),
                       "layer2.0")
        XCTAssertEqual(ModuleName.of(unit("block2", ["/features/features.2/block/block.0/block.0.0/Conv",
                                                     "/features/features.2/block/block.1/fc1/Conv"])), "features.2")
        XCTAssertNil(ModuleName.of(unit("stem", ["/conv1/Conv"])), "one layer names itself")
        XCTAssertNil(ModuleName.of(unit("layer1.0", ["layer1.0.conv1", "layer1.0.conv2"])), "no path components to share")
    }

    /// After a confirmed quit the engine only finishes and writes its checkpoint: the bar offers leaving, not steering.
    func testHintBarWhileStopping() {
        var s = S.state(S.midRun())
        s.quitPending = true
        s.now = 1000
        let bar = DashboardView.render(s, size: Self.small, charset: .unicode).text.split(separator: "\n").last ?? ""
        XCTAssertTrue(bar.contains("q leave now"), String(bar))
        XCTAssertFalse(bar.contains("pause") || bar.contains("iters") || bar.contains("search"), String(bar))
    }

    /// MobileNetV3's squeeze-excitation multiplies the depthwise output by the pooled branch:
    /// the Mul is drawn as a join with the identity operand on the skip line, as an Add is;
    /// inside a residual Add's span (one skip column) it stays on the main path.
    func testSqueezeExcitationMulIsDrawnAsAJoin() {
        func node(_ op: String, _ inputs: [Int], layer: Bool = false) -> UnitNode {
            UnitNode(name: layer ? "/features/features.4/block/\(op)/Conv" : op, op: op, inputs: inputs, isLayer: layer)
        }
        // expand, hardswish, dw, hardswish, gap, fc1, relu, fc2, hardsigmoid, mul(3, 8), project
        var se: [UnitNode] = [node("conv 1x1", [-1], layer: true), node("hardswish", [0])]
        se += [node("dwconv 5x5 /2", [1], layer: true), node("hardswish", [2]), node("gap", [3])]
        se += [node("conv 1x1", [4], layer: true), node("relu", [5]), node("conv 1x1", [6], layer: true)]
        se += [node("hardsigmoid", [7]), node("mul", [3, 8]), node("conv 1x1", [9], layer: true)]
        let diagram = BlockDiagram(nodes: se)
        XCTAssertEqual(diagram.skips, [BlockDiagram.Skip(fromRow: 4, toRow: 10)], "from the hardswish after the depthwise conv to the Mul")
        XCTAssertFalse(diagram.rows.contains { $0.onSkip }, "the identity operand has no node on it")
        // With a residual Add around it, the Add keeps the one skip column.
        let residual = se + [node("add", [10, -1])]
        XCTAssertEqual(BlockDiagram(nodes: residual).skips, [BlockDiagram.Skip(fromRow: 0, toRow: 12)])
    }
}
