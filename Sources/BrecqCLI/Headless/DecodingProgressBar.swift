import Foundation
import Network
import Synchronization

/// Image-folder decoding progress on stderr: one redrawn line when stderr is a
/// terminal (at most ten redraws a second), nothing otherwise, so logs stay clean.
/// Sendable because the loader calls it from its worker threads; the Mutex
/// serialises the redraws.
final class DecodingProgressBar: Sendable {
    private let interactive: Bool
    private let lastDraw = Mutex<Double>(-.infinity)

    init(interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
    }

    var callback: ImageFolderLoader.Progress? {
        guard interactive else { return nil }
        return { [self] done, total in draw(done, total) }
    }

    private func draw(_ done: Int, _ total: Int) {
        lastDraw.withLock { last in
            let now = Date().timeIntervalSinceReferenceDate
            guard done == total || now - last >= 0.1 else { return }
            last = now
            let text = "\r" + Self.text(label: "decoding images", done: done, total: total) + (done == total ? "\n" : "")
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// `label [#####.....] done/total`: this bar and the headless run's stage bar.
    static func text(label: String, done: Int, total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, max(0, width * done / total)) : width
        return "\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total)"
    }
}
