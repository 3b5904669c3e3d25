import ArgumentParser
import Foundation

/// Files and directories a user names as input, checked for their kind before
/// a reader opens them: a directory given as `--model` otherwise reaches the
/// user as "NSCocoaErrorDomain error 256".
enum InputPath {
    enum Kind { case missing, file, directory, other }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func checkModel(_ path: String, flag: String = "--model") throws {
        switch kind(path) {
        case .file: return
        case .missing: throw ValidationError("\(flag) \(path): no such file")
        case .directory: throw ValidationError("\(path) is a directory; \(flag) expects an .onnx file")
        case .other: throw ValidationError("\(path) is not a regular file; \(flag) expects an .onnx file")
        }
    }

    /// `fashion-mnist` names the installed data set; anything else must be a directory.
    static func checkData(_ argument: String) throws {
        guard argument != "fashion-mnist" else { return }
        switch kind(argument) {
        case .directory, .missing: return  // a missing directory is reported by the dataset reader with what it looked for
        case .file, .other:
            throw ValidationError("\(argument) is not a directory; --data expects 'fashion-mnist', a directory of IDX or NPY files, or an image folder")
        }
    }
}
