import TestFixtures
import XCTest
@testable import Tensor

func doubles(_ t: Tensor) -> [Double] { t.data.map(Double.init) }

/// Asserts |a − b| ≤ atol + rtol·|b| elementwise, reporting the worst index.
func assertClose(_ a: [Float], _ b: [Double], atol: Double = 1e-4, rtol: Double = 1e-4,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "count mismatch \(message)", file: file, line: line)
    guard a.count == b.count else { return }
    var worst = 0.0, worstIndex = -1
    for i in 0..<a.count {
        let excess = abs(Double(a[i]) - b[i]) - (atol + rtol * abs(b[i]))
        if excess > worst || !a[i].isFinite { worst = excess.isNaN ? .infinity : excess; worstIndex = i }
    }
    if worstIndex >= 0 {
        XCTFail("mismatch at \(worstIndex): got \(a[worstIndex]), expected \(b[worstIndex]) \(message)", file: file, line: line)
    }
}

func assertClose(_ a: [Float], _ b: [Float], atol: Double = 1e-4, rtol: Double = 1e-4,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    assertClose(a, b.map(Double.init), atol: atol, rtol: rtol, message, file: file, line: line)
}

/// Central finite differences of a double-precision scalar function.
func finiteDifferenceGradient(at x: [Double], step h: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    var probe = x
    return x.indices.map { i in
        probe[i] = x[i] + h; let up = f(probe)
        probe[i] = x[i] - h; let down = f(probe)
        probe[i] = x[i]
        return (up - down) / (2 * h)
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

/// Direct-loop convolution in Double: the reference every conv path is checked against.
func referenceConv(x: [Double], xShape: [Int], w: [Double], wShape: [Int], bias: [Double]?,
                   _ p: Conv2DParameters) -> (y: [Double], shape: [Int]) {
    let (n, c, h, wd) = (xShape[0], xShape[1], xShape[2], xShape[3])
    let (co, cg, kh, kw) = (wShape[0], wShape[1], wShape[2], wShape[3])
    let cog = co / p.groups
    let oh = (h + p.padTop + p.padBottom - kh) / p.strideHeight + 1
    let ow = (wd + p.padLeft + p.padRight - kw) / p.strideWidth + 1
    var y = [Double](repeating: 0, count: n * co * oh * ow)
    for b in 0..<n { for o in 0..<co {
        let g = o / cog
        for oy in 0..<oh { for ox in 0..<ow {
            var s = bias?[o] ?? 0
            for ci in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * p.strideHeight + ky - p.padTop, ix = ox * p.strideWidth + kx - p.padLeft
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                s += x[((b * c + g * cg + ci) * h + iy) * wd + ix] * w[((o * cg + ci) * kh + ky) * kw + kx]
            } } }
            y[((b * co + o) * oh + oy) * ow + ox] = s
        } }
    } }
    _ = c
    return (y, [n, co, oh, ow])
}

/// Direct-loop adjoint of `referenceConv`: gradients of Σ dy·y w.r.t. x, w and bias.
func referenceConvBackward(x: [Double], xShape: [Int], w: [Double], wShape: [Int], dy: [Double],
                           _ p: Conv2DParameters) -> (dx: [Double], dw: [Double], db: [Double]) {
    let (n, c, h, wd) = (xShape[0], xShape[1], xShape[2], xShape[3])
    let (co, cg, kh, kw) = (wShape[0], wShape[1], wShape[2], wShape[3])
    let cog = co / p.groups
    let oh = (h + p.padTop + p.padBottom - kh) / p.strideHeight + 1
    let ow = (wd + p.padLeft + p.padRight - kw) / p.strideWidth + 1
    var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
    var db = [Double](repeating: 0, count: co)
    for b in 0..<n { for o in 0..<co {
        let g = o / cog
        for oy in 0..<oh { for ox in 0..<ow {
            let gy = dy[((b * co + o) * oh + oy) * ow + ox]
            db[o] += gy
            for ci in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * p.strideHeight + ky - p.padTop, ix = ox * p.strideWidth + kx - p.padLeft
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let xi = ((b * c + g * cg + ci) * h + iy) * wd + ix, wi = ((o * cg + ci) * kh + ky) * kw + kx
                dx[xi] += gy * w[wi]
                dw[wi] += gy * x[xi]
            } } }
        } }
    } }
    return (dx, dw, db)
}
