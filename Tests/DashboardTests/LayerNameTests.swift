import XCTest
import Engine
@testable import Dashboard

/// Issue #15 item 7: every row of the bits table can be told apart.
final class LayerNameTests: XCTestCase {
    static let names = [
        "/conv1/Conv",
        "/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/conv2/Conv",
        "/layer2/layer2.0/conv1/Conv", "/layer2/layer2.0/conv2/Conv", "/layer2/layer2.0/shortcut/shortcut.0/Conv",
        "/layer3/layer3.0/conv1/Conv", "/layer3/layer3.0/conv2/Conv", "/layer3/layer3.0/shortcut/shortcut.0/Conv",
        "/linear/Gemm",
    ]

    func testLongNamesKeepTheBlockIndexAndTheLastComponent() {
        XCTAssertEqual(LayerName.fit("/layer2/layer2.0/shortcut/shortcut.0/Conv", width: 40, charset: .unicode),
                       "layer2/layer2.0/shortcut/shortcut.0")
        XCTAssertEqual(LayerName.fit("/layer2/layer2.0/shortcut/shortcut.0/Conv", width: 30, charset: .unicode),
                       "…/layer2.0/shortcut/shortcut.0")
        XCTAssertEqual(LayerName.fit("/layer2/layer2.0/shortcut/shortcut.0/Conv", width: 19, charset: .unicode),
                       "layer2.0…shortcut.0")
        XCTAssertEqual(LayerName.fit("/layer1/layer1.0/conv1/Conv", width: 16, charset: .unicode), "…/layer1.0/conv1")
        XCTAssertEqual(LayerName.fit("/features/features.3/conv/conv.0/conv.0.0/Conv", width: 20, charset: .ascii),
                       "features.3~conv.0.0")
        for width in 8...40 {
            for name in Self.names {
                XCTAssertLessThanOrEqual(LayerName.fit(name, width: width, charset: .unicode).count, width, "\(name) at \(width)")
            }
        }
    }

    func testDistinctNamesStayDistinctDownToNarrowColumns() {
        for width in 12...40 {
            let fitted = Self.names.map { LayerName.fit($0, width: width, charset: .unicode) }
            XCTAssertEqual(Set(fitted).count, fitted.count, "rows collide at width \(width): \(fitted)")
        }
    }

    func state(size: TerminalSize) -> DashboardState {
        let units = (0..<5).map { i in
            UnitInfo(index: i, name: ["stem", "layer1.0", "layer2.0", "layer3.0", "head"][i], kind: "basic", layers: [],
                     outputShape: [1], params: 1, macs: 1)
        }
        let unitOf = [0, 1, 1, 2, 2, 2, 3, 3, 3, 4]
        let layers = Self.names.enumerated().map { i, name in
            LayerInfo(name: name, unit: unitOf[i], kind: "conv", params: 2304, macs: 1, wbits: 4, abits: 4, locked: false)
        }
        let info = SessionInfo(model: "resnet.onnx", data: "data", method: .brecq, wbits: 4, abits: 4, granularity: .block,
                               iterations: 100, activationIterations: 0, calibrationSize: 64, seed: 0,
                               hyperparameters: .init(), units: units, layers: layers)
        var s = SyntheticSession.state([EventRecord(time: 0, event: .sessionStarted(info))], from: DashboardState(size: size))
        s.focus = .bits
        return s
    }

    /// Sizes are binary units named as such, and a 98 MiB layer (a VGG's first fully connected layer at 8 bits)
    /// still has a space between its parameter count and its size.
    func testBitsTableSizesAreMebibytesAndStaySeparate() throws {
        let size = TerminalSize(width: 80, height: 24)
        var s = state(size: size)
        s.layers[0].params = 25088 * 4096
        s.layers[0].wbits = 8
        let grid = DashboardView.render(s, size: size, charset: .unicode)
        let row = try XCTUnwrap((0..<grid.height).map(grid.row).first { $0.contains("98.00 MiB") }, grid.text)
        XCTAssertTrue(row.contains(" 98.00 MiB"), row)
        XCTAssertFalse(grid.text.contains(" KB") || grid.text.contains(" MB"), "binary units are named KiB and MiB:\n\(grid.text)")
    }

    func testBitsTableRowsAreDistinctAndNameTheirUnit() {
        for size in [TerminalSize(width: 80, height: 24), TerminalSize(width: 120, height: 40)] {
            let grid = DashboardView.render(state(size: size), size: size, charset: .unicode)
            let rows = (0..<grid.height).map(grid.row).filter { $0.contains("shortcut") }
            XCTAssertEqual(rows.count, 2, grid.text)
            XCTAssertNotEqual(rows[0].replacingOccurrences(of: "│", with: ""), rows[1].replacingOccurrences(of: "│", with: ""))
            XCTAssertTrue(rows[0].contains("layer2.0"), "the block index is kept at \(size):\n\(rows[0])")
            XCTAssertTrue(rows[1].contains("layer3.0"), "the block index is kept at \(size):\n\(rows[1])")
            XCTAssertTrue(grid.text.contains("unit"), "the table has a unit column at \(size)")
        }
    }
}
