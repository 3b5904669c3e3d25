import Synchronization

/// Messages from work done off the loop's thread, taken at the next frame.
final class LoopInbox: Sendable {
    private let pending = Mutex<[Msg]>([])

    func post(_ msg: Msg) { pending.withLock { $0.append(msg) } }

    func drain() -> [Msg] { pending.withLock { p in defer { p.removeAll() }; return p } }
}
