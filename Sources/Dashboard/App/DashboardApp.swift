import Engine
import Foundation

/// The dashboard's entry point: pumps messages through the reducer and draws
/// frames on the terminal it is given until the user quits.
public enum DashboardApp {
    /// The loop, on any terminal (`NcursesTerminal`, or the tests' in-memory one):
    /// messages through the reducer, frames to `terminal`, until quit or a
    /// termination signal. With `replayControl` the session is a recording:
    /// speed keys replace engine commands. The caller owns the terminal (and
    /// restores it). Nothing slow runs on this thread: engine work is a command
    /// answered by an event, and a theme file is read off the loop and comes
    /// back as a message.
    public static func run(session: some SessionHandle, options: DashboardOptions,
                           replayControl: (any ReplayControlling)? = nil, terminal: some Terminal) -> ExitReason {

        // Themes to cycle through: the directory's, with the starting one first if it came from elsewhere.
        var themeSources = options.themesDirectory.map { Theme.availableThemes(in: $0) } ?? []
        var themeIndex = themeSources.firstIndex(of: options.theme.name) ?? 0
        if !themeSources.contains(options.theme.name) { themeSources.insert(options.theme.name, at: 0); themeIndex = 0 }
        var loadedThemes: [Int: Theme] = [themeIndex: options.theme]
        terminal.apply(options.theme)
        // What work off the loop (theme files) found, as messages for the next frame.
        let inbox = LoopInbox()

        var mode: RunMode = .live
        if let replayControl {
            var status = ReplayStatus(speed: options.replaySpeed, duration: replayControl.recordingDuration)
            status.bookmarks = replayControl.initialBookmarks
            mode = .replay(status)
        }
        if let attach = options.attach { mode = .attached(attach) }
        var state = DashboardState(mode: mode, size: terminal.size, themeNames: themeSources,
                                   themeIndex: themeIndex, evaluationImages: options.evaluationImages)
        state.exportDirectory = options.exportDirectory
        if let replayControl { replayControl.setSpeed(options.replaySpeed) }

        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = start.duration(to: clock.now).components
            return Double(d.seconds) + Double(d.attoseconds) * 1e-18
        }
        let frameInterval = 1 / Double(max(1, min(60, options.framesPerSecond)))
        var nextFrame = 0.0
        var dirty = true
        var lastProgress: ReplayProgress?

        // Returns an exit reason when an effect ends the loop.
        func dispatch(_ msg: Msg) -> ExitReason? {
            let (next, effects) = DashboardReducer.update(state, msg)
            if next != state { dirty = true }
            state = next
            for effect in effects {
                switch effect {
                case .send(let command):
                    session.send(command)
                case .replay(let command):
                    // A seek answers with the records to reduce; they are reduced in one message, drawn once.
                    if let answer = replayControl?.perform(command), let exit = dispatch(answer) { return exit }
                case .loadTheme(let index):
                    guard themeSources.indices.contains(index) else { continue }
                    if let theme = loadedThemes[index] {
                        if let exit = dispatch(.themeLoaded(index: index, theme: theme)) { return exit }
                        continue
                    }
                    let (name, directory) = (themeSources[index], options.themesDirectory)
                    DispatchQueue.global(qos: .userInitiated).async {
                        do {
                            inbox.post(.themeLoaded(index: index, theme: try Theme.load(nameOrPath: name, themesDirectory: directory)))
                        } catch {
                            inbox.post(.uiMessage(Message(level: .error, text: "theme: \(error)")))
                        }
                    }
                case .applyTheme(let theme):
                    terminal.apply(theme)
                    dirty = true
                case .quit(let reason):
                    return reason
                }
            }
            return nil
        }

        // As if `w` were pressed once the replay's length is known: the same tour, from its first step.
        var tourPending = options.startsTour
        while true {
            if let signal = SignalWatch.pending {
                // The engine writes its checkpoint on stop; the caller waits for it.
                if replayControl == nil, state.isActive { session.send(.stop) }
                return .signal(signal)
            }
            let now = seconds()
            if now >= nextFrame {
                nextFrame = now + frameInterval
                if let exit = dispatch(.tick(now: now)) { return exit }
                for record in session.drainEvents() {
                    if let exit = dispatch(.engine(record)) { return exit }
                }
                for msg in inbox.drain() {
                    if case let .themeLoaded(index, theme) = msg { loadedThemes[index] = theme }
                    if let exit = dispatch(msg) { return exit }
                }
                // The follower and the bookmark writer work off this thread; what they found arrives here as messages.
                if let replayControl {
                    for notice in replayControl.drainNotices() {
                        if let exit = dispatch(.uiMessage(notice)) { return exit }
                    }
                    let progress = replayControl.progress
                    if progress != lastProgress {
                        lastProgress = progress
                        if let exit = dispatch(.replayProgress(progress)) { return exit }
                    }
                    if tourPending {
                        tourPending = false
                        if let exit = dispatch(.key(.character("w"))) { return exit }
                    }
                }
                if dirty {
                    terminal.present(DashboardView.render(state, size: state.size, charset: terminal.charset))
                    dirty = false
                }
            }
            // getch's timeout is the frame clock: it returns at a key or at the next frame.
            let wait = Int(((nextFrame - seconds()) * 1000).rounded(.up))
            guard let input = terminal.readInput(timeoutMilliseconds: wait) else { continue }
            let msg: Msg = switch input {
            case .key(let key): .key(key)
            case .resize(let size): .resize(size)
            case .mouse(let mouse): .mouse(mouse)
            }
            if let exit = dispatch(msg) { return exit }
            // Answer keys at once rather than at the next frame; typing is paced by the user.
            if dirty {
                terminal.present(DashboardView.render(state, size: state.size, charset: terminal.charset))
                dirty = false
            }
        }
    }
}
