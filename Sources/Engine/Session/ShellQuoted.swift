import Foundation

/// A word for a POSIX shell that stays one word whatever it contains: single
/// quotes around it, each `'` inside written `'\''`. Plain words (letters,
/// digits, `/._-+=:@,`) are left bare so printed commands stay readable.
public struct ShellQuoted: CustomStringConvertible, Sendable {
    public var word: String
    public init(_ word: String) { self.word = word }

    public var description: String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "/._-+=:@,".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `path` made absolute against the working directory, then quoted: a printed
    /// command then works from any directory.
    public static func absolutePath(_ path: String) -> ShellQuoted {
        ShellQuoted(URL(fileURLWithPath: path).standardizedFileURL.path)
    }
}
