import Foundation
import TestFixtures
import XCTest

/// One tiny model directory (model, config.json, NPY data) per test class: the
/// flags' path checks need real files, and parsing never writes into it.
class CLITestCase: XCTestCase {
    // XCTest runs a class's setUp, tests and tearDown one after another on one thread.
    nonisolated(unsafe) private static var directories: [ObjectIdentifier: TinyModelDirectory] = [:]

    override class func setUp() {
        super.setUp()
        directories[ObjectIdentifier(self)] = try! TinyModelDirectory.make(train: 8, test: 8)
    }

    override class func tearDown() {
        directories.removeValue(forKey: ObjectIdentifier(self))?.remove()
        super.tearDown()
    }

    var fixture: TinyModelDirectory { Self.directories[ObjectIdentifier(Self.self)]! }
    var model: String { fixture.model }
    var data: String { fixture.path }
    /// A path in the fixture directory (not created).
    func path(_ name: String) -> String { fixture.file(name) }

    /// A directory created in the fixture directory.
    func directory(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
        return path(name)
    }

    /// A file with some bytes in the fixture directory.
    func file(_ name: String, _ contents: String = "x") throws -> String {
        try contents.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }
}
