import Foundation
import TestFixtures
import XCTest

/// Issue #18: the dashboard on the 224×224 torchvision-layout models (exported
/// by scripts/make_imagenet_models.py) with a folder of JPEG/PNG images, run as
/// a user runs it: the real binary in a tmux pane. What is on screen must mean
/// what it says: the model's real input shape, the units the engine detected
/// (as `brecq inspect` lists them), what the engine is doing while it loads and
/// between units, a run that finishes, an Analysis page of finite figures, a
/// bottleneck drawn with its three convolutions and its downsample path, and a
/// usable shell afterwards. Sizes are small (8 calibration images, a few
/// iterations) so that the runs stay short.
final class DashboardImageNetTests: DashboardTestCase {
    override class func tearDown() {
        ImageNetModels.remove(label: "imagenet-dashboard")
        super.tearDown()
    }

    private func models() throws -> URL {
        try ImageNetModels.shared(["resnet18", "resnet50", "mobilenetv3small"], label: "imagenet-dashboard")
    }

    /// What the engine says it is doing outside iterations (`DashboardState.activity`).
    private static let activities = ["loading the model and data", "decoding training images", "decoding evaluation images",
                                     "calibrating the quantizers", "preparing ", "analysing the layers", "writing the checkpoint"]

    private func arguments(_ name: String, iterations: Int) throws -> (model: String, arguments: [String]) {
        let root = try models()
        let modelPath = root.appendingPathComponent("\(name)/model.onnx").path
        return (modelPath, ["tui", "--model", modelPath, "--data", root.appendingPathComponent("images").path,
                            "--wbits", "4", "--abits", "8", "--iters", String(iterations), "--act-iters", "2",
                            "--calib-size", "8", "--batch-size", "4", "--eval-images", "4", "--analysis-images", "4",
                            "--checkpoint", model.file("ck-\(name)")])
    }

    /// The units `brecq inspect` detects in the model, in plan order.
    private func inspectedUnits(_ modelPath: String) throws -> [String] {
        let inspect = try CommandRun.brecq(["inspect", "--model", modelPath, "--json"], timeout: 120)
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
        return (json?["units"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// The units panel's rows by 1-based number: status glyph and the name as drawn.
    private static func unitRows(in pane: String) -> [Int: (status: Character, name: String)] {
        var rows: [Int: (Character, String)] = [:]
        for line in pane.split(separator: "\n") {
            guard let match = line.firstMatch(of: /│[▶ ]([·●✓»])\s+(\d+) (\S+)/), let number = Int(match.2) else { continue }
            rows[number] = (Character(String(match.1)), String(match.3))
        }
        return rows
    }

    /// Whether `shown` is how the units panel draws `name`: the whole name, or (a layer's
    /// name standing for a unit, e.g. "/features/features.12/features.12.0/Conv") its end.
    private static func shows(_ shown: String, _ name: String) -> Bool {
        if shown == name { return true }
        var last = name.split(separator: "/").last.map(String.init) ?? name
        if ["Conv", "Gemm", "MatMul"].contains(last) { last = name.split(separator: "/").dropLast().last.map(String.init) ?? last }
        return name.contains("/") && shown.hasSuffix(String(last.suffix(6)))
    }

    /// Runs the model to the end in a pane of the given size and checks each screen on the way.
    private func assertWholeRun(_ name: String, width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let (modelPath, arguments) = try arguments(name, iterations: 3)
        let units = try inspectedUnits(modelPath)
        XCTAssertGreaterThan(units.count, 3, file: file, line: line)
        tmux = try TmuxSession(width: width, height: height)
        let baseline = terminalModes()
        try tmux.launch(([try BrecqBinary.path()] + arguments).map(Self.shellQuoted).joined(separator: " "))

        // Until the session has started, and between units, the screen says what the engine does.
        var sawActivity = false
        let started = try tmux.waitFor("the session's header", timeout: 600) { pane in
            if Self.activities.contains(where: pane.contains) { sawActivity = true }
            return pane.split(separator: "\n").first?.contains("3×224×224") ?? false
        }
        let header = String(started.split(separator: "\n").first ?? "")
        XCTAssertTrue(header.contains("/\(name)/"), "the model's directory names it:\n\(header)", file: file, line: line)

        // Every detected unit is listed under its name, in plan order.
        let listed = Self.unitRows(in: started)
        XCTAssertEqual(listed.count, units.count, started, file: file, line: line)
        for (k, unit) in units.enumerated() {
            XCTAssertTrue(listed[k + 1].map { Self.shows($0.name, unit) } ?? false,
                          "unit \(k + 1) \(unit) not listed as such:\n\(started)", file: file, line: line)
        }

        let done = try tmux.waitFor("the run to finish", timeout: 1800) { pane in
            if Self.activities.contains(where: pane.contains) { sawActivity = true }
            return Header.badge(in: pane) == "DONE"
        }
        XCTAssertTrue(sawActivity, "no screen said what the engine was doing while it loaded or between units", file: file, line: line)
        // Each unit finished: reconstructed (✓), or the 8-bit stem left at round-to-nearest (»).
        let finished = Self.unitRows(in: done)
        for k in units.indices {
            XCTAssertTrue(finished[k + 1].map { $0.status == "✓" || $0.status == "»" } ?? false, "unit \(k + 1) not finished:\n\(done)",
                          file: file, line: line)
        }
        XCTAssertTrue(done.contains("units \(units.count)/\(units.count) done") || done.contains("\(units.count)/\(units.count) done"),
                      done, file: file, line: line)

        // The Analysis page: the layers worst first, each with finite figures.
        try tmux.sendKeys("a")
        let analysis = try tmux.waitFor("the Analysis page", timeout: 30) { $0.contains("NSR dB") }
        // Rows: layer, W/A, accumulated noise-to-signal (dB), isolated KL ("–" where a figure is not finite).
        let rows = analysis.split(separator: "\n").compactMap { line -> (nsr: Double?, kl: Double?)? in
            guard let match = line.firstMatch(of: /\s(\d)\/(\d|fp)\s+(\S+)\s+(\S+)\s/) else { return nil }
            return (Double(match.3), Double(match.4))
        }
        XCTAssertGreaterThanOrEqual(rows.count, 3, "too few layer rows:\n\(analysis)", file: file, line: line)
        XCTAssertTrue(rows.allSatisfy { $0.nsr?.isFinite ?? false }, "a layer's NSR is not a finite number:\n\(analysis)", file: file, line: line)
        XCTAssertTrue(rows.allSatisfy { ($0.kl.map { $0.isFinite && $0 >= 0 }) ?? false },
                      "a layer's KL is not a finite divergence:\n\(analysis)", file: file, line: line)

        // Done: q leaves at once, and the terminal is the shell's again.
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 120), 0, file: file, line: line)
        try assertShellUsable(modesBefore: baseline, file: file, line: line)
    }

    func testResNet18WholeRunAt120x40() throws { try assertWholeRun("resnet18", width: 120, height: 40) }

    func testMobileNetV3SmallWholeRunAt80x24() throws { try assertWholeRun("mobilenetv3small", width: 80, height: 24) }

    /// `d` on a ResNet-50 bottleneck with a downsample (the first block): three
    /// convolutions on the main path (1×1, 3×3, 1×1), the downsample 1×1 on the
    /// skip path beside them, joined by the Add.
    func testResNet50BottleneckDiagram() throws {
        let (_, arguments) = try arguments("resnet50", iterations: 100_000)
        try launch(arguments, width: 120, height: 40)
        try tmux.waitFor("the session's header", timeout: 600) { $0.split(separator: "\n").first?.contains("3×224×224") ?? false }
        // The first unit, then the one after it: block1, whatever the engine is running now.
        try tmux.sendKeys("1")
        try tmux.sendKeys("Home")
        try tmux.sendKeys("j")
        try tmux.sendKeys("d")
        let diagram = try tmux.waitFor("the block diagram", timeout: 30) { $0.contains("add") && $0.contains("conv 3x3") }
        let lines = diagram.split(separator: "\n").map(String.init)
        let convs = lines.filter { $0.contains("conv 1x1") || $0.contains("conv 3x3") }
        XCTAssertEqual(convs.count, 4, "three convolutions and the downsample:\n\(diagram)")
        XCTAssertEqual(lines.filter { $0.contains("conv 3x3") }.count, 1, diagram)
        let downsample = convs.filter { $0.contains("downsample") }
        XCTAssertEqual(downsample.count, 1, "the downsample convolution is named:\n\(diagram)")
        // It sits on the skip path: to the right of where the main path's operations are drawn.
        if let skip = downsample.first, let main = convs.first(where: { !$0.contains("downsample") }),
           let skipColumn = skip.range(of: "conv 1x1").map({ skip.distance(from: skip.startIndex, to: $0.lowerBound) }),
           let mainColumn = main.range(of: "conv").map({ main.distance(from: main.startIndex, to: $0.lowerBound) }) {
            XCTAssertGreaterThan(skipColumn, mainColumn, "the downsample is not beside the main path:\n\(diagram)")
        }
        XCTAssertTrue(lines.contains { $0.contains("add ◀") }, "the skip path joins the Add:\n\(diagram)")
        for conv in ["conv1", "conv2", "conv3"] {
            XCTAssertTrue(diagram.contains("layer1.0/\(conv)") || diagram.contains("layer1.0.\(conv)"), "\(conv) not named:\n\(diagram)")
        }

        try tmux.sendKeys("Escape")
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 30) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 600), 0)
    }
}
