import Foundation

/// The interactive `brecq compare` screen: j/k choose the unit whose curves
/// are drawn, y switches the loss axis, q leaves. Nothing runs; the two
/// recordings were read before the terminal was taken.
public enum CompareApp {
    public struct State: Equatable {
        public var selected = 0
        public var logY = false
        public var size: TerminalSize
        public init(size: TerminalSize) { self.size = size }
    }

    /// What a key does; returns false when the screen should close.
    public static func update(_ s: inout State, _ input: TerminalInput, rows: Int) -> Bool {
        switch input {
        case .resize(let size): s.size = size
        case .key(let key):
            switch key {
            case .character("q"), .escape: return false
            case .down, .character("j"): s.selected = min(max(0, rows - 1), s.selected + 1)
            case .up, .character("k"): s.selected = max(0, s.selected - 1)
            case .pageDown: s.selected = min(max(0, rows - 1), s.selected + 10)
            case .pageUp: s.selected = max(0, s.selected - 10)
            case .character("y"): s.logY.toggle()
            default: break
            }
        case .mouse: break
        }
        return true
    }

    public static func run(_ comparison: RunComparison, options: DashboardOptions) throws {
        let terminal = try NcursesTerminal(charsetOverride: options.charset, colorModeOverride: options.colorMode, mouse: false)
        defer { terminal.restore(); SignalWatch.uninstall() }
        SignalWatch.install()
        terminal.apply(options.theme)
        var state = State(size: terminal.size)
        // The row with the largest difference first: where the two methods part.
        if let worst = comparison.rows.indices.max(by: { abs(comparison.difference(comparison.rows[$0]) ?? 0) < abs(comparison.difference(comparison.rows[$1]) ?? 0) }) {
            state.selected = worst
        }
        var dirty = true
        while SignalWatch.pending == nil {
            if dirty {
                terminal.present(CompareView.render(comparison, selected: state.selected, logY: state.logY, size: state.size, charset: terminal.charset))
                dirty = false
            }
            guard let input = terminal.readInput(timeoutMilliseconds: 200) else { continue }
            let before = state
            if !update(&state, input, rows: comparison.rows.count) { return }
            dirty = state != before
        }
    }
}
