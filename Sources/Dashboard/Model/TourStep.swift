import Engine

/// One step of the guided tour (`brecq tour`, or `w`): the panel it focuses so
/// the student sees what the text explains, where the recording should stand
/// (in a replay), and a short explanation.
public struct TourStep: Sendable, Equatable {
    /// The panel focused while the step is shown (the header and hint bar are always on screen).
    public var focus: Panel
    /// Where a replay is moved to for this step; nil: it stays where the previous step put it.
    public var position: ReplaySeek?
    /// The unit (0-based) selected for this step, so a chart shows a finished unit's curves.
    public var selectUnit: Int?
    /// The box goes under the header instead of above the hint bar, where what the step explains is drawn at the foot of its panel.
    public var boxAtTop: Bool
    public var title: String
    public var text: String

    public init(focus: Panel, position: ReplaySeek? = nil, selectUnit: Int? = nil, boxAtTop: Bool = false, title: String, text: String) {
        self.focus = focus; self.position = position; self.selectUnit = selectUnit; self.boxAtTop = boxAtTop
        self.title = title; self.text = text
    }

    /// Where a replay should stand at step `index`: the nearest position set at or before it.
    static func position(at index: Int, in steps: [TourStep] = TourStep.steps) -> ReplaySeek? {
        steps.prefix(index + 1).last(where: { $0.position != nil })?.position
    }
}
