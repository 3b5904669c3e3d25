import Foundation
import Tensor

/// Where brecq's own output goes. Text in it comes from models, data,
/// checkpoints and event logs (node names, paths, messages), so control
/// characters are shown escaped (`TerminalText`): an ONNX node named
/// `\e]0;pwned\a` cannot retitle or recolour the user's terminal.
enum Console {
    /// A line on stdout.
    static func print(_ text: String) { Swift.print(TerminalText.sanitized(text, keepNewlines: true)) }

    /// A line on stderr.
    static func error(_ text: String) { FileHandle.standardError.write(Data((TerminalText.sanitized(text, keepNewlines: true) + "\n").utf8)) }
}
