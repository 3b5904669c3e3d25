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

    public var next: Panel { Panel(rawValue: (rawValue + 1) % Panel.allCases.count)! }
    public var previous: Panel { Panel(rawValue: (rawValue + Panel.allCases.count - 1) % Panel.allCases.count)! }
}
