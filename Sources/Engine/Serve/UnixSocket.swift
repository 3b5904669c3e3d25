import Foundation
import Tensor

/// The Unix-domain socket calls the event server and `brecq attach` share:
/// addresses (a path too long for `sun_path` is reached through the
/// directory's descriptor), non-blocking set-up and the peer's credentials.
enum UnixSocket {
    /// A failure in one line, naming the path and the cause.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ path: String, _ what: String, errno code: Int32 = errno) {
            description = "\(TerminalText.sanitized(path)): \(what): \(String(cString: strerror(code)))"
        }
        init(_ text: String) { description = text }
    }

    /// The file name of the socket inside a checkpoint directory.
    static let fileName = "events.sock"

    /// Calls `body` with the address of `path`. A path longer than `sun_path`
    /// (108 bytes) goes through `/proc/self/fd/N/NAME` with N the opened parent
    /// directory, which the kernel resolves the same way.
    static func withAddress<T>(of path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws -> T {
        var directoryFD: Int32 = -1
        defer { if directoryFD >= 0 { close(directoryFD) } }
        var target = path
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        if path.utf8.count >= capacity {
            let url = URL(fileURLWithPath: path)
            directoryFD = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryFD >= 0 else { throw Failure(path, "cannot open its directory") }
            target = "/proc/self/fd/\(directoryFD)/\(url.lastPathComponent)"
            guard target.utf8.count < capacity else { throw Failure("\(TerminalText.sanitized(path)): socket name too long") }
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (i, byte) in target.utf8.enumerated() { bytes[i] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// A new stream socket, close-on-exec, optionally non-blocking.
    static func makeSocket(nonBlocking: Bool) throws -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        let fd = socket(AF_UNIX, type, 0)
        guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Linux's `struct ucred` (Glibc exports it only with _GNU_SOURCE): pid, uid, gid.
    struct PeerCredentials { var pid: pid_t = 0; var uid: uid_t = 0; var gid: gid_t = 0 }
    /// SO_PEERCRED on every Linux architecture but a few (PowerPC: 21), from <asm-generic/socket.h>.
    static let peerCredentialsOption: Int32 = 17

    /// The credentials of the process at the other end, as the kernel saw them at connect.
    static func peerCredentials(_ fd: Int32) -> PeerCredentials? {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, peerCredentialsOption, &credentials, &length) == 0,
              length == socklen_t(MemoryLayout<PeerCredentials>.size) else { return nil }
        return credentials
    }

    /// Sets O_NONBLOCK and FD_CLOEXEC (accept4 and pipe2 need _GNU_SOURCE).
    static func makeNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    /// Connects a blocking client socket to `path`.
    static func connect(to path: String) throws -> Int32 {
        let fd = try makeSocket(nonBlocking: false)
        let result = try withAddress(of: path) { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(path, "cannot connect", errno: code)
        }
        return fd
    }

    /// Whether a live server answers on `path` (a refused connection means a stale socket file).
    static func isServed(_ path: String) -> Bool {
        guard let fd = try? connect(to: path) else { return false }
        close(fd)
        return true
    }
}
