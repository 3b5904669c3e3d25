import Foundation
import Quantization
import XCTest

/// The files of a checkpoint directory, for tests that edit, copy and combine them.
struct CheckpointFiles {
    let directory: String
    var checkpoint: String { directory + "/checkpoint.json" }
    var events: String { directory + "/events.jsonl" }
    var digest: String { directory + "/checkpoint.sha256" }

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func write(_ data: Data, to path: String) throws { try data.write(to: URL(fileURLWithPath: path)) }

    /// checkpoint.json as a JSON object.
    func json() throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: read(checkpoint)) as? [String: Any])
    }

    /// Rewrites checkpoint.json with `edit` applied and, when `resign`, a digest
    /// file that matches it — so that what is tested is the content check, not the digest.
    func edit(resign: Bool = true, _ edit: (inout [String: Any]) throws -> Void) throws {
        var object = try json()
        try edit(&object)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try write(data, to: checkpoint)
        if resign { try sign(data) }
    }

    /// A digest file listing `data`'s digest alone.
    func sign(_ data: Data) throws {
        try write(Data("\(SHA256.hex(of: data))  checkpoint.json\n".utf8), to: digest)
    }

    /// Edits the first weight layer of the checkpoint's model.
    func editLayer(_ index: Int = 1, _ edit: (inout [String: Any]) -> Void) throws {
        try self.edit { object in
            var model = object["model"] as! [String: Any]
            var layers = model["layers"] as! [[String: Any]]
            edit(&layers[index])
            model["layers"] = layers
            object["model"] = model
        }
    }

    /// The three files' bytes, to put back later in any combination.
    struct Snapshot {
        var checkpoint: Data
        var events: Data
        var digest: Data
    }

    func snapshot() throws -> Snapshot {
        Snapshot(checkpoint: try read(checkpoint), events: try read(events), digest: try read(digest))
    }

    func restore(checkpoint c: Data, events e: Data, digest d: Data) throws {
        try write(c, to: checkpoint)
        try write(e, to: events)
        try write(d, to: digest)
    }
}
