/// Converts theme colours to what a terminal with fewer colours can show.
public enum ColorConversion {
    /// Channel values of the 6×6×6 cube in colours 16–231.
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The nearest of xterm's 256 colours, from the cube (16–231) or the grey ramp (232–255).
    public static func xterm256(_ c: RGB) -> Int {
        func nearestLevel(_ v: UInt8) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) }!
        }
        let ri = nearestLevel(c.r), gi = nearestLevel(c.g), bi = nearestLevel(c.b)
        let cube = RGB(UInt8(cubeLevels[ri]), UInt8(cubeLevels[gi]), UInt8(cubeLevels[bi]))
        let average = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        // Greys run 8, 18, …, 238 in steps of 10.
        let greyIndex = max(0, min(23, (average - 8 + 5) / 10))
        let greyLevel = UInt8(8 + 10 * greyIndex)
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        return c.distanceSquared(grey) < c.distanceSquared(cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
    }

    /// xterm's default values of the 16 ANSI colours.
    static let ansiPalette: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The nearest of the first `count` ANSI colours (8 or 16). A grey stays a
    /// grey (black, white, and in 16 colours the two greys): by distance alone
    /// a blue-grey border would turn cyan.
    public static func ansi(_ c: RGB, count: Int) -> Int {
        let indices = ansiPalette.prefix(count).indices
        let greys = indices.filter { Readability.isGrey(ansiPalette[$0]) }
        let candidates = Readability.isGrey(c) ? greys : Array(indices)
        return candidates.min { c.distanceSquared(ansiPalette[$0]) < c.distanceSquared(ansiPalette[$1]) }!
    }

    /// The colour number to give ncurses; -1 is the terminal's default colour.
    public static func terminalColor(_ value: ColorValue, mode: ColorMode) -> Int {
        guard case .rgb(let c) = value else { return -1 }
        switch mode {
        case .none: return -1
        case .ansi8: return ansi(c, count: 8)
        case .ansi16: return ansi(c, count: 16)
        case .xterm256: return xterm256(c)
        // Direct-colour terminfo sends numbers below 8 as ANSI colours, so near-black
        // values move to #000008, which looks the same.
        case .direct: return max(8, c.packed)
        }
    }
}
