import Foundation

/// An error as one line for the user. Foundation's file errors print as
/// "Error Domain=NSCocoaErrorDomain Code=513 … UserInfo={…}" over several
/// lines; they become "PATH: Permission denied". Every other error keeps its
/// own description, with line breaks folded so the message stays one line.
public enum ErrorText {
    public static func oneLine(_ error: any Error) -> String {
        let ns = error as NSError
        let text = ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain ? foundation(ns) : "\(error)"
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func foundation(_ error: NSError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        var cause: String
        // The underlying error may be an NSError or a Swift POSIXError; both bridge.
        if let underlying = (error.userInfo[NSUnderlyingErrorKey] as? any Error).map({ $0 as NSError }), underlying.domain == NSPOSIXErrorDomain {
            cause = String(cString: strerror(Int32(underlying.code)))
        } else if error.domain == NSPOSIXErrorDomain {
            cause = String(cString: strerror(Int32(error.code)))
        } else {
            switch CocoaError.Code(rawValue: error.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: cause = "no such file or directory"
            case .fileWriteNoPermission, .fileReadNoPermission: cause = "permission denied"
            case .fileWriteOutOfSpace: cause = "no space left on the device"
            case .fileWriteFileExists: cause = "already exists"
            case .fileWriteVolumeReadOnly: cause = "read-only file system"
            case .fileReadCorruptFile: cause = "unreadable or corrupt"
            default: cause = error.localizedDescription
            }
        }
        return path.map { "\($0): \(cause)" } ?? cause
    }
}
