import Engine
import Foundation

/// The dashboard's entry point: owns the terminal on the calling thread, pumps
/// messages through the reducer and draws frames until the user quits.
public enum DashboardApp {
    /// Runs the dashboard on the calling thread until quit or a termination signal.
    /// With `replayControl` the session is a recording: speed keys replace engine commands.
    /// The terminal is restored on every return and throw.
    public static func run(session: some SessionHandle, options: DashboardOptions,
                           replayControl: (any ReplayControlling)? = nil) throws -> ExitReason {
        let terminal = try NcursesTerminal(charsetOverride: options.charset, colorModeOverride: options.colorMode, mouse: options.mouse)
        defer { terminal.restore(); SignalWatch.uninstall() }
        SignalWatch.install()
        return run(session: session, options: options, replayControl: replayControl, terminal: terminal)
    }

    /// The loop itself, on any terminal: messages through the reducer, frames
    /// to `terminal`, until quit or a termination signal. The caller owns the
    /// terminal (and restores it).
    public static func run(session: some SessionHandle, options: DashboardOptions,
                           replayControl: (any ReplayControlling)? = nil, terminal: some Terminal) -> ExitReason {

        // Themes to cycle through: the directory's, with the starting one first if it came from elsewhere.
        var themeSources = options.themesDirectory.map { Theme.availableThemes(in: $0) } ?? []
        var themeIndex = themeSources.firstIndex(of: options.theme.name) ?? 0
        if !themeSources.contains(options.theme.name) { themeSources.insert(options.theme.name, at: 0); themeIndex = 0 }
        var loadedThemes: [Int: Theme] = [themeIndex: options.theme]
        terminal.apply(options.theme)

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
                    do {
                        let theme = try loadedThemes[index]
                            ?? Theme.load(nameOrPath: themeSources[index], themesDirectory: options.themesDirectory)
                        loadedThemes[index] = theme
                        terminal.apply(theme)
                        if let exit = dispatch(.themeApplied(index: index)) { return exit }
                    } catch {
                        if let exit = dispatch(.uiMessage(Message(level: .error, text: "theme: \(error)"))) { return exit }
                    }
                    dirty = true
                case let .export(checkpoint, output):
                    let message: Message
                    if let exporter = options.exporter {
                        do {
                            // The default path is in an exports directory that may not exist yet.
                            let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
                            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                            message = Message(level: .info, text: "export: " + (try exporter(checkpoint, output)))
                        } catch {
                            message = Message(level: .error, text: "export: \(error)")
                        }
                    } else {
                        message = Message(level: .error, text: "export: not available in this build")
                    }
                    if let exit = dispatch(.uiMessage(message)) { return exit }
                    dirty = true
                case .quit(let reason):
                    return reason
                }
            }
            return nil
        }

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
