import Foundation

/// The process's file-creation mask. Reading it with umask(2) means setting it
/// for a moment, which another thread creating a file could observe; Linux
/// shows it in /proc/self/status instead.
enum ProcessUmask {
    static let value: mode_t = {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
           let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) {
            return mask
        }
        return 0o022
    }()
}
