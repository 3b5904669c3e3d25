import XCTest
import Engine
import Network
import Quantization
@testable import Dashboard

/// The rounding strip under the loss chart (flips bar, h(α) histogram) and the
/// block diagram overlay (`d`), from the events that carry them.
final class RoundingAndDiagramTests: XCTestCase {
    typealias S = SyntheticSession

    // layer3.0 (unit 3) is running in `midRun`; its two convs have 18 432 and 36 864 weights.
    static let conv1 = LayerRoundingStatistics(layer: "layer3.0.conv1", weights: 18_432, flips: 1_106, undecided: 2_212,
                                               histogram: [7_900, 420, 300, 250, 230, 240, 260, 310, 422, 8_100])
    static let conv2 = LayerRoundingStatistics(layer: "layer3.0.conv2", weights: 36_864, flips: 369, undecided: 11_059,
                                               histogram: [9_000, 2_000, 1_600, 1_500, 1_450, 1_470, 1_500, 1_650, 2_100, 14_594])
    static let snapshot = RoundingSnapshot(unit: 3, phase: .weights, iteration: 1000, iterations: 2000, beta: 12.5,
                                           layers: [conv1, conv2])

    func roundingState() -> DashboardState {
        var s = S.state(S.midRun() + [S.record(71, .rounding(Self.snapshot))])
        s.now = 0
        s.focus = .loss
        return s
    }

    func testReducerKeepsTheLatestRoundingPerUnitAndARestartClearsIt() {
        var s = roundingState()
        XCTAssertEqual(s.units[3].rounding, Self.snapshot)
        var later = Self.snapshot
        later.iteration = 1200
        later.layers[0].flips = 1_300
        s = DashboardReducer.update(s, .engine(S.record(72, .rounding(later)))).0
        XCTAssertEqual(s.units[3].rounding?.iteration, 1200)
        XCTAssertNil(s.units[2].rounding)
        // Starting the weights phase again (a restart) drops the old attempt's rounding.
        s = DashboardReducer.update(s, .engine(S.record(73, .unitStarted(UnitStarted(
            unit: 3, name: "layer3.0", phase: .weights, iterations: 2000, warmupIterations: 400))))).0
        XCTAssertNil(s.units[3].rounding)
    }

    /// The strip shows each layer's flips and undecided share as the event's
    /// counts give them, and the histogram's tallest cells where its largest bins are.
    func testStripShowsTheEventsFigures() {
        let s = roundingState()
        for (sizeName, size) in [("80x24", SnapshotTests.small), ("120x40", SnapshotTests.large)] {
            for (charsetName, charset) in [("utf8", Charset.unicode), ("ascii", Charset.ascii)] {
                let grid = DashboardView.render(s, size: size, charset: charset)
                assertSnapshot(grid, named: "rounding-\(sizeName)-\(charsetName)")
                let text = grid.text
                // 1106 / 18432 = 6.0 %, 2212 / 18432 = 12.0 %; 369 / 36864 = 1.0 %, 11059 / 36864 = 30.0 %.
                let row1 = try? XCTUnwrap(text.split(separator: "\n").first { $0.contains("layer3.0.conv1") && $0.contains("%") })
                let row2 = try? XCTUnwrap(text.split(separator: "\n").first { $0.contains("layer3.0.conv2") && $0.contains("%") })
                XCTAssertTrue(row1?.contains("6.0%") == true && row1?.contains("12.0%") == true, "\(sizeName) \(charsetName):\n\(text)")
                XCTAssertTrue(row2?.contains("1.0%") == true && row2?.contains("30.0%") == true, "\(sizeName) \(charsetName):\n\(text)")
                XCTAssertTrue(text.contains("it 1000 β 12.5") || text.contains("it 1000 beta 12.5") || text.contains("it 1000 b 12.5"), text)
            }
        }
        // The histogram's cells: the two end bins are the tallest, in proportion to the fullest bin.
        var grid = CellGrid(width: 20, height: 1, charset: .unicode)
        RoundingStripView.drawHistogram(Self.conv2.histogram, glyphs: .unicode, into: &grid, x: 0, y: 0)
        // 14594 → █; 9000 → 9000/14594·7 = 4.3 → level 4 (▅); 1450 → 0.7 → level 1 (▂).
        XCTAssertEqual(String(grid.row(0).prefix(10)), "▅▂▂▂▂▂▂▂▂█")
        // The flips bar is full at 50 %: 6.0 % of 8 cells is 0.96 cells, about 8 eighths.
        XCTAssertEqual(Self.conv1.flipPercent, 100.0 * 1106 / 18432, accuracy: 1e-12)
    }

    func testTeachingTextExplainsTheStripAndScrolls() {
        var s = roundingState()
        s = DashboardReducer.update(s, .key(.character("t"))).0
        let text = TeachingText.text(for: .loss, state: s)
        XCTAssertTrue(text.contains("h(α) = clip(σ(α)·(ζ − γ) + γ, 0, 1) with ζ = 1.1, γ = −0.1"), text)
        XCTAssertTrue(text.contains("1 − |2h − 1|^β"), text)
        XCTAssertTrue(text.contains("(20 to 2 here)"), text)
        // At 80×24 the text is longer than the box: j scrolls to the end and no further.
        let limit = OverlayView.overlayScrollLimit(s)
        XCTAssertGreaterThan(limit, 0)
        for _ in 0..<(limit + 5) { s = DashboardReducer.update(s, .key(.character("j"))).0 }
        XCTAssertEqual(s.overlayScroll, limit)
        let grid = DashboardView.render(s, size: SnapshotTests.small, charset: .unicode)
        assertSnapshot(grid, named: "overlay-teaching-rounding-80x24-utf8")
        XCTAssertTrue(grid.text.contains("falls towards zero"), "the last line is reachable:\n\(grid.text)")
    }

    // MARK: Block diagram

    /// layer1.0: conv–relu–conv, identity shortcut, add, relu.
    static let plainBlock: [UnitNode] = [
        UnitNode(name: "layer1.0.conv1", op: "conv 3x3", inputs: [-1], isLayer: true),
        UnitNode(name: "layer1.0.relu1", op: "relu", inputs: [0], isLayer: false),
        UnitNode(name: "layer1.0.conv2", op: "conv 3x3", inputs: [1], isLayer: true),
        UnitNode(name: "layer1.0.add", op: "add", inputs: [2, -1], isLayer: false),
        UnitNode(name: "layer1.0.relu2", op: "relu", inputs: [3], isLayer: false),
    ]
    /// layer2.0: the shortcut is a strided 1×1 conv, executed between the main path's convs.
    static let downsampleBlock: [UnitNode] = [
        UnitNode(name: "layer2.0.conv1", op: "conv 3x3 /2", inputs: [-1], isLayer: true),
        UnitNode(name: "layer2.0.relu1", op: "relu", inputs: [0], isLayer: false),
        UnitNode(name: "layer2.0.downsample", op: "conv 1x1 /2", inputs: [-1], isLayer: true),
        UnitNode(name: "layer2.0.conv2", op: "conv 3x3", inputs: [1], isLayer: true),
        UnitNode(name: "layer2.0.add", op: "add", inputs: [3, 2], isLayer: false),
        UnitNode(name: "layer2.0.relu2", op: "relu", inputs: [4], isLayer: false),
    ]

    func diagramState(unit: Int) -> DashboardState {
        var info = S.info
        info.units[1].nodes = Self.plainBlock
        info.units[2].nodes = Self.downsampleBlock
        var s = S.state([S.record(0, .sessionStarted(info))])
        s.selectedUnit = unit
        return DashboardReducer.update(s, .key(.character("d"))).0
    }

    func testDiagramLayout() {
        let plain = BlockDiagram(nodes: Self.plainBlock)
        XCTAssertEqual(plain.skips, [BlockDiagram.Skip(fromRow: 0, toRow: 4)], "input row to the add's row")
        XCTAssertFalse(plain.rows.contains { $0.onSkip })
        let down = BlockDiagram(nodes: Self.downsampleBlock)
        XCTAssertEqual(down.skips, [BlockDiagram.Skip(fromRow: 0, toRow: 5)])
        XCTAssertEqual(down.rows.filter(\.onSkip).map(\.node), [2], "the 1×1 conv is on the skip path")
    }

    func testDiagramSnapshotsConnectTheSkipFromInputToAdd() throws {
        for (name, unit, nodes) in [("plain", 1, Self.plainBlock), ("downsample", 2, Self.downsampleBlock)] {
            let s = diagramState(unit: unit)
            XCTAssertEqual(s.overlay, .blockDiagram(unit))
            for (charsetName, charset) in [("utf8", Charset.unicode), ("ascii", Charset.ascii)] {
                let grid = DashboardView.render(s, size: SnapshotTests.small, charset: charset)
                assertSnapshot(grid, named: "diagram-\(name)-80x24-\(charsetName)")
                let g = Glyphs.forCharset(charset)
                let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let inputRow = try XCTUnwrap(lines.firstIndex { $0.contains(" input ") }, grid.text)
                let addRow = try XCTUnwrap(lines.firstIndex { $0.contains(" add ") }, grid.text)
                let inputLine = Array(lines[inputRow].unicodeScalars)
                let inputEnd = try XCTUnwrap(lines[inputRow].range(of: " input ")).upperBound
                let after = lines[inputRow].unicodeScalars.distance(from: lines[inputRow].unicodeScalars.startIndex, to: inputEnd)
                let corner = try XCTUnwrap(inputLine[after...].firstIndex(of: g.topRight), "the skip leaves the input row")
                XCTAssertTrue(inputLine[after..<corner].allSatisfy { $0 == g.horizontal }, lines[inputRow])
                XCTAssertEqual(Array(lines[addRow].unicodeScalars)[corner], g.bottomRight, "and joins the add in the same column")
                // Between them the column is the line, except where the shortcut conv sits on it.
                for row in (inputRow + 1)..<addRow {
                    let cell = Array(lines[row].unicodeScalars)[corner]
                    let onSkipNode = lines[row].contains("conv 1x1 /2")
                    XCTAssertTrue(cell == g.vertical || (onSkipNode && cell == g.legend), "row \(row): \(lines[row])")
                }
                // Every layer is named with its bits.
                for node in nodes where node.isLayer {
                    XCTAssertTrue(lines.contains { $0.contains(node.name) && $0.contains("W4 A8") }, "\(node.name):\n\(grid.text)")
                }
                if name == "plain" { XCTAssertFalse(grid.text.contains("1x1")) }
            }
        }
    }

    func testDiagramKeysWalkTheUnitsAndClose() {
        var s = diagramState(unit: 1)
        s = DashboardReducer.update(s, .key(.character("j"))).0
        XCTAssertEqual(s.overlay, .blockDiagram(2))
        XCTAssertEqual(s.selectedUnit, 2)
        s = DashboardReducer.update(s, .key(.character("d"))).0
        XCTAssertNil(s.overlay)
        // A recording without structure still opens, naming the layers.
        var old = S.state([S.record(0, .sessionStarted(S.info))])
        old.selectedUnit = 2
        old = DashboardReducer.update(old, .key(.character("d"))).0
        let text = DashboardView.render(old, size: SnapshotTests.small, charset: .unicode).text
        XCTAssertTrue(text.contains("does not hold the unit's structure") && text.contains("layer2.0.downsample  W4 A8"), text)
    }
}
