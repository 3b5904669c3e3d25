import Engine

/// The pure heart of the dashboard: `update(state, msg)` returns the next state
/// and the effects to perform. No I/O, no clocks, no terminal: every test drives it directly.
public enum DashboardReducer {
    public static func update(_ state: DashboardState, _ msg: Msg) -> (DashboardState, [Effect]) {
        var next = state
        let effects: [Effect]
        switch msg {
        case .engine(let record):
            effects = apply(record, to: &next)
            if case .replay(var replay) = next.mode {
                replay.position += 1
                next.mode = .replay(replay)
                announceEndIfReached(&next)
            }
        case .key(let key):
            effects = handle(key, in: &next)
        case .resize(let size):
            next.size = size
            effects = []
        case .mouse(let mouse):
            effects = handle(mouse, in: &next)
        case .tick(let now):
            next.now = now
            if let notice = next.notice, notice.expires <= now { next.notice = nil }
            // The search panel plays fast searches back at a pace a person can follow.
            next.search?.reveal(now: now)
            effects = []
        case .uiMessage(let message):
            next.log.append(LogEntry(time: nil, level: message.level, text: message.text))
            next.notify(message.text, isError: message.level == .error)
            effects = []
        case .replayJumped(let jump):
            jumped(jump, &next)
            effects = []
        case .replayProgress(let progress):
            updateProgress(progress, &next)
            effects = []
        case .themeLoaded(let index, let theme):
            next.themeIndex = index
            if next.themeNames.indices.contains(index) { next.notify("theme: \(next.themeNames[index])") }
            effects = [.applyTheme(theme)]
        }
        return (next, effects)
    }
}

extension DashboardState {
    /// How long a hint-bar notice stays, in seconds.
    static let noticeDuration = 3.0

    mutating func notify(_ text: String, isError: Bool = false) {
        notice = Notice(text: text, isError: isError, expires: now + Self.noticeDuration)
    }
}
