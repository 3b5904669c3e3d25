/// What a cell means, not how it looks: the theme decides colours, the
/// backend decides attributes, so views and snapshot tests never mention colour.
public enum StyleRole: Int, CaseIterable, Sendable, Equatable {
    case text
    case muted
    case title
    case border
    case borderFocused
    case header
    case headerAccent
    case selection
    case highlight
    case good
    case warning
    case error
    case recSeries
    case regSeries
    case warmupMarker
    case bestSeries
    case meanSeries
    case barLow
    case barMid
    case barHigh
    case hintKey
    case hintText
    case tabActive
    case tabInactive
    case overlay
    case overlayBorder
}
