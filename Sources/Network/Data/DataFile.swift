import Foundation
import Tensor

/// Reading a whole data or model file, refusing one larger than
/// `AllocationLimit` before its bytes are loaded.
enum DataFile {
    static func contents(of path: String, noSuchFile: String = "no such file") throws(DatasetError) -> Data {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw .unreadable(path: path, reason: noSuchFile) }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
            try DatasetError.checking { () throws(UntrustedSizeError) in
                try AllocationLimit.check(size.intValue, elementSize: 1, "\(path) (\(size.intValue) bytes)")
            }
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
