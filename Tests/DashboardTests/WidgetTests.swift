import XCTest
@testable import Dashboard

final class WidgetTests: XCTestCase {
    func testBrailleDotsCombineInOneCell() {
        var canvas = DotCanvas(columns: 2, rows: 1, charset: .unicode)
        canvas.plot(0, 0, role: .recSeries)
        canvas.plot(1, 3, role: .recSeries)
        var grid = CellGrid(width: 2, height: 1, charset: .unicode)
        canvas.draw(into: &grid, x: 0, y: 0)
        XCTAssertEqual(grid[0, 0].scalar, Unicode.Scalar(0x2800 + 0x01 + 0x80)!)
        XCTAssertEqual(grid[1, 0], .blank, "empty cells keep what is beneath")
    }

    func testAsciiCanvasUsesThreeLevels() {
        var canvas = DotCanvas(columns: 3, rows: 1, charset: .ascii)
        canvas.plot(0, 0, role: .text)
        canvas.plot(1, 1, role: .text)
        canvas.plot(2, 2, role: .text)
        var grid = CellGrid(width: 3, height: 1, charset: .ascii)
        canvas.draw(into: &grid, x: 0, y: 0)
        XCTAssertEqual(grid.text, "'-.")
    }

    func testLineConnectsEndpoints() {
        var canvas = DotCanvas(columns: 4, rows: 2, charset: .unicode)
        canvas.line(0, 7, 7, 0, role: .text)
        for column in 0..<4 { XCTAssertTrue(canvas.isSet(column: column, row: column < 2 ? 1 : 0)) }
    }

    func testGridClipsAndSpellsOutNonAscii() {
        var grid = CellGrid(width: 10, height: 1, charset: .ascii)
        grid.put("λ→β", x: 0, y: 0, role: .text)
        XCTAssertEqual(grid.text, "lambda->be")
        var unicode = CellGrid(width: 6, height: 1, charset: .unicode)
        unicode.putTruncated("layer3.0.conv2", x: 0, y: 0, width: 6, role: .text)
        XCTAssertEqual(unicode.text, "layer…")
        unicode.put("漢x", x: 0, y: 0, role: .text)
        XCTAssertEqual(unicode.row(0).unicodeScalars.first, "?", "wide characters would shift the row")
        unicode.put("tab\there", x: 0, y: 0, role: .text)
        XCTAssertEqual(unicode.text, "tab he")
    }

    func testSparklineMarksTheLargest() {
        var grid = CellGrid(width: 4, height: 1, charset: .unicode)
        Sparkline(values: [0.001, nil, 0.1, 0.01]).draw(into: &grid, x: 0, y: 0, width: 4)
        XCTAssertEqual(grid.text, "▁·█▅")
        XCTAssertEqual(grid[2, 0].role, .barHigh)
        XCTAssertEqual(grid[1, 0].role, .muted)
    }

    func testHorizontalBarEighths() {
        var grid = CellGrid(width: 4, height: 1, charset: .unicode)
        HorizontalBar(fraction: 0.5 + 1.0 / 32, role: .good).draw(into: &grid, x: 0, y: 0, width: 4)
        XCTAssertEqual(grid.text, "██▏·")
        var ascii = CellGrid(width: 4, height: 1, charset: .ascii)
        HorizontalBar(fraction: 1.5, role: .good).draw(into: &grid, x: 0, y: 0, width: 4)
        HorizontalBar(fraction: 0.25, role: .good).draw(into: &ascii, x: 0, y: 0, width: 4)
        XCTAssertEqual(ascii.text, "#...")
        XCTAssertEqual(grid.text, "████", "fractions clamp to the width")
    }

    func testLossSeriesStaysBoundedAndKeepsNewest() {
        var series = LossSeries(capacity: 64)
        for i in 1...10_000 { series.append(LossPoint(iteration: i, reconstruction: Double(i), regularizer: 0)) }
        XCTAssertLessThanOrEqual(series.points.count, 64)
        XCTAssertGreaterThanOrEqual(series.points.count, 32)
        XCTAssertEqual(series.points.first?.iteration, 1)
        XCTAssertEqual(series.last?.iteration, 10_000, "the newest loss is always shown")
        XCTAssertEqual(series.points.map(\.iteration), series.points.map(\.iteration).sorted())
        series.append(LossPoint(iteration: 5, reconstruction: 1, regularizer: 0))
        XCTAssertEqual(series.last?.iteration, 10_000, "out-of-order points are dropped")
    }

    func testLogRingKeepsTheLast() {
        var ring = LogRing(capacity: 3)
        for i in 1...5 { ring.append(LogEntry(time: Double(i), level: .info, text: "\(i)")) }
        XCTAssertEqual(ring.entries.map(\.text), ["3", "4", "5"])
        XCTAssertEqual(ring.count, 3)
    }

    func testLayoutTabbedAndWide() {
        let small = DashboardLayout.compute(size: TerminalSize(width: 80, height: 24), focus: .loss)
        XCTAssertEqual(small.arrangement, .tabbed)
        XCTAssertEqual(Set(small.panels.keys), [.units, .loss])
        XCTAssertEqual(small.panels[.units]!.width + small.panels[.loss]!.width, 80)
        let wide = DashboardLayout.compute(size: TerminalSize(width: 120, height: 40), focus: .log)
        XCTAssertEqual(wide.arrangement, .wide)
        XCTAssertEqual(Set(wide.panels.keys), Set(Panel.cycle))
        // The Analysis page takes the whole body even on a wide screen.
        XCTAssertEqual(Set(DashboardLayout.compute(size: TerminalSize(width: 120, height: 40), focus: .analysis).panels.keys), [.analysis])
        for (_, rect) in wide.panels { XCTAssertLessThanOrEqual(rect.maxX, 120); XCTAssertLessThanOrEqual(rect.maxY, 39) }
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.loss(0.00123), "1.23e-3")
        XCTAssertEqual(NumberFormat.loss(0.29), "0.290")
        XCTAssertEqual(NumberFormat.loss(12.5), "12.5")
        XCTAssertEqual(NumberFormat.percent(0.9874), "98.74%")
        XCTAssertEqual(NumberFormat.duration(125), "2m05s")
        XCTAssertEqual(NumberFormat.clock(3725), "1:02:05")
        XCTAssertEqual(NumberFormat.compact(0.01), "0.01")
        XCTAssertEqual(NumberFormat.compact(4), "4")
    }

    func testLayerNamesKeepTheirDistinctiveEnd() {
        XCTAssertEqual(LayerName.fit("/layers/layers.3/conv2/Conv", width: 40, charset: .unicode), "layers/layers.3/conv2")
        XCTAssertEqual(LayerName.fit("/layers/layers.3/conv2/Conv", width: 15, charset: .unicode), "…layers.3/conv2")
        XCTAssertEqual(LayerName.fit("/layers/layers.3/conv2/Conv", width: 15, charset: .ascii), "~layers.3/conv2")
        XCTAssertEqual(LayerName.fit("/fc/Gemm", width: 15, charset: .unicode), "fc")
        XCTAssertEqual(LayerName.fit("block3", width: 15, charset: .unicode), "block3")
        XCTAssertEqual(LayerName.fit("/Conv", width: 15, charset: .unicode), "Conv", "a bare op name stays")
    }
}
