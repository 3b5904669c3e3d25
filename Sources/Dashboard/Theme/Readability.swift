import Foundation

/// Keeps every foreground readable once a theme's colours are converted for
/// the terminal. Two things go wrong otherwise: a colour that converts to the
/// terminal's black or white on the terminal's own background (which may be
/// dark or light: a dark-grey border becomes ANSI black, SGR 30, and vanishes
/// on a dark terminal), and a foreground that converts to (nearly) its own
/// background colour (light-grey text on a light-grey panel in 8 colours).
enum Readability {
    /// The contrast ratio (WCAG definition, 1…21) below which text is taken
    /// to be invisible. Deliberately low: it catches black on black and
    /// white or bright yellow on white, while leaving theme colours alone that
    /// are merely soft (WCAG asks 3 to 4.5 for comfortable reading).
    static let minimumContrast = 1.5

    static let black = RGB(0, 0, 0)
    static let white = RGB(255, 255, 255)

    /// Relative luminance (0 black … 1 white), sRGB.
    static func luminance(_ c: RGB) -> Double {
        func channel(_ v: UInt8) -> Double {
            let x = Double(v) / 255
            return x <= 0.03928 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    static func readable(_ c: RGB, on backgrounds: [RGB]) -> Bool {
        backgrounds.allSatisfy { contrast(c, $0) >= minimumContrast }
    }

    /// The backgrounds a foreground must read on: the given colour, or (for the
    /// terminal's own background, unknown to us) both a dark and a light one.
    static func backgrounds(_ background: RGB?) -> [RGB] { background.map { [$0] } ?? [black, white] }

    /// What a terminal shows for a colour number in `mode` (xterm's defaults for
    /// the 16 ANSI colours); nil for the terminal's default colour.
    static func shown(_ color: Int, mode: ColorMode) -> RGB? {
        guard color >= 0 else { return nil }
        switch mode {
        case .none: return nil
        case .ansi8, .ansi16: return ColorConversion.ansiPalette.indices.contains(color) ? ColorConversion.ansiPalette[color] : nil
        case .xterm256:
            if color < 16 { return ColorConversion.ansiPalette[color] }
            if color < 232 {
                let i = color - 16
                let levels = ColorConversion.cubeLevels
                return RGB(UInt8(levels[i / 36]), UInt8(levels[i / 6 % 6]), UInt8(levels[i % 6]))
            }
            let level = UInt8(min(255, 8 + 10 * (color - 232)))
            return RGB(level, level, level)
        case .direct:
            return RGB(UInt8(color >> 16 & 0xFF), UInt8(color >> 8 & 0xFF), UInt8(color & 0xFF))
        }
    }

    /// Greys (and near-greys) read as "quieter" or "brighter" text, not as a hue.
    static func isGrey(_ c: RGB) -> Bool { max(c.r, c.g, c.b) - min(c.r, c.g, c.b) < 40 }

    /// A foreground colour number for theme colour `c` on `background` (nil:
    /// the terminal's own), and whether to add the dim attribute (a dark grey
    /// that became the terminal's own text colour keeps looking secondary).
    static func foreground(_ c: RGB, background: RGB?, mode: ColorMode) -> (color: Int, dim: Bool) {
        let targets = backgrounds(background)
        let converted = ColorConversion.terminalColor(.rgb(c), mode: mode)
        if let shownColor = shown(converted, mode: mode), readable(shownColor, on: targets) { return (converted, false) }
        switch mode {
        case .none:
            return (-1, false)
        case .ansi8, .ansi16:
            // On the terminal's own background a grey becomes the terminal's own
            // text colour, which is readable there by construction.
            if background == nil && isGrey(c) { return (-1, luminance(c) < 0.3) }
            let palette = Array(ColorConversion.ansiPalette.prefix(mode == .ansi8 ? 8 : 16))
            let usable = palette.indices.filter { readable(palette[$0], on: targets) }
            let sameKind = usable.filter { isGrey(palette[$0]) == isGrey(c) }
            let pool = sameKind.isEmpty ? usable : sameKind
            guard let best = pool.min(by: { c.distanceSquared(palette[$0]) < c.distanceSquared(palette[$1]) }) else { return (-1, false) }
            return (best, false)
        case .xterm256, .direct:
            // Keep the hue; move the lightness away from whatever it is too close to.
            // Too close to a darker background: lighten; otherwise darken.
            let lighten = targets.contains { contrast(c, $0) < minimumContrast && luminance($0) <= luminance(c) }
            let toward = lighten ? white : black
            for step in 1...20 {
                let candidate = blend(c, toward, Double(step) / 20)
                let number = ColorConversion.terminalColor(.rgb(candidate), mode: mode)
                if let shownColor = shown(number, mode: mode), readable(shownColor, on: targets) { return (number, false) }
            }
            return (-1, false)
        }
    }

    /// For a theme that leaves the text colour to the terminal but sets its own
    /// background: the terminal's text colour may be the same as that background
    /// (dark text on a dark panel), so black or white is chosen, whichever reads.
    static func foregroundForDefault(on background: RGB, mode: ColorMode) -> Int {
        let dark = contrast(black, background) >= contrast(white, background)
        switch mode {
        case .none: return -1
        case .ansi8: return dark ? 0 : 7
        case .ansi16: return dark ? 0 : 15
        case .xterm256: return dark ? 16 : 231
        case .direct: return ColorConversion.terminalColor(.rgb(dark ? black : white), mode: mode)
        }
    }

    static func blend(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) * (1 - t) + Double(y) * t).rounded()) }
        return RGB(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }
}
