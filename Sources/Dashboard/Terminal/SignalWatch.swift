#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last termination signal received (0: none). A signal handler may only do
/// async-signal-safe work, so it records the number here and the frame loop,
/// which wakes at least every frame, restores the terminal and returns.
private let receivedSignal = Atomic<Int32>(0)
/// SIGCONT arrived: the process was stopped (SIGSTOP, Ctrl-Z) and whatever wrote to
/// the terminal meanwhile (a shell's "Stopped" line) must be painted over.
private let continued = Atomic<Bool>(false)

enum SignalWatch {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installed after ncurses starts, replacing the handlers it sets, so that the
    /// engine gets a stop (and writes its checkpoint) before the process ends.
    static func install() {
        receivedSignal.store(0, ordering: .relaxed)
        for signal in watched { setHandler(signal, flags: 0) { number in receivedSignal.store(number, ordering: .relaxed) } }
        setHandler(SIGCONT, flags: SA_RESTART) { _ in continued.store(true, ordering: .relaxed) }
    }

    /// `handler` nil or `SIG_DFL`: the default action.
    private static func setHandler(_ signal: Int32, flags: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(signal, &action, nil)
    }

    /// The terminal is gone: the loop leaves as on SIGHUP.
    static func hangUp() { receivedSignal.store(SIGHUP, ordering: .relaxed) }

    /// Whether the process was continued since the last call (then the screen is repainted).
    static func takeContinued() -> Bool { continued.exchange(false, ordering: .relaxed) }

    /// Back to the default actions once the terminal is restored.
    static func uninstall() {
        for signal in watched + [SIGCONT] { setHandler(signal, flags: 0, SIG_DFL) }
    }

    /// The pending signal, if any.
    static var pending: Int32? {
        let value = receivedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }
}
