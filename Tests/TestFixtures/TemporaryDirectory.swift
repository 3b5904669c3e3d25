import Foundation

/// A fresh empty directory under the system's temporary directory, named after
/// the test (`label`, by default the calling function) so that a leftover one
/// says where it came from. The caller removes it.
public func temporaryDirectory(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("brecq-test-\(label.filter(\.isLetter))-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
