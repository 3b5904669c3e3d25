/// The panels that can hold focus, in Tab order.
public enum Panel: Int, CaseIterable, Sendable, Equatable {
    case units, loss, bits, search, log, analysis

    public var title: String {
        switch self {
        case .units: "Units"
        case .loss: "Loss"
        case .bits: "Bit widths"
        case .search: "Search"
        case .log: "Log"
        case .analysis: "Analysis"
        }
    }

    /// What Tab and ←/→ cycle through: the panels a wide screen shows together.
    /// The Analysis page is reached with `a` or `6` (and Tab leaves it for the units).
    public static let cycle: [Panel] = [.units, .loss, .bits, .search, .log]

    public var next: Panel {
        guard let i = Self.cycle.firstIndex(of: self) else { return Self.cycle[0] }
        return Self.cycle[(i + 1) % Self.cycle.count]
    }

    public var previous: Panel {
        guard let i = Self.cycle.firstIndex(of: self) else { return Self.cycle[Self.cycle.count - 1] }
        return Self.cycle[(i + Self.cycle.count - 1) % Self.cycle.count]
    }
}
