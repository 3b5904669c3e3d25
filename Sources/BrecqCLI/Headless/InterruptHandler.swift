import Dispatch
import Foundation

/// First SIGINT/SIGTERM: ask the engine to stop after the current iteration
/// (it writes its checkpoint). Second: leave at once — checkpoints are written
/// by rename, so nothing on disk is left half-written.
final class InterruptHandler {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0

    init(onFirst: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "brecq.signals")
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    FileHandle.standardError.write(Data("\nstopping after this iteration (again to quit now)…\n".utf8))
                    onFirst()
                } else {
                    _exit(128 + sig)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
