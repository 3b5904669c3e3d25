import Foundation

/// The regression inputs whose shape depends on the fixed graph or the
/// engine's JSON (checkpoints, sensitivity tables, bits and latency files,
/// event logs), made by editing the built-in seeds, one per crash class of
/// issue #14. `brecq-fuzz write-regressions Fuzz/regressions` writes them;
/// scripts/make_fuzz_corpus.py makes the ONNX, IDX, NPY, config and theme ones.
public enum RegressionInputs {
    public static func all() -> [(target: FuzzTarget, name: String, data: Data)] {
        checkpoints() + sensitivityTables() + eventLogs() + bitsAndLatency()
    }

    static func checkpoints() -> [(target: FuzzTarget, name: String, data: Data)] {
        let seed = BuiltinSeeds.checkpoint(events: false)
        func layer0(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { object in
                guard var model = object["model"] as? [String: Any], var layers = model["layers"] as? [[String: Any]], !layers.isEmpty else { return }
                edit(&layers[0])
                model["layers"] = layers
                object["model"] = model
            }
        }
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("fewer-zero-points-than-scales.json", layer0 { layer in
                guard var grid = layer["grid"] as? [String: Any], let zeros = grid["zeroPoints"] as? [Any] else { return }
                grid["zeroPoints"] = Array(zeros.prefix(1))
                layer["grid"] = grid
            }),
            ("zero-point-1e30.json", layer0 { layer in
                guard var grid = layer["grid"] as? [String: Any], let zeros = grid["zeroPoints"] as? [Any] else { return }
                grid["zeroPoints"] = zeros.map { _ in placeholder }
                layer["grid"] = grid
            }),
            ("levels-int32-min.json", layer0 { layer in
                guard let levels = layer["levels"] as? [Any] else { return }
                layer["levels"] = levels.map { _ in Int(Int32.min) }
            }),
            ("fewer-levels-than-weights.json", layer0 { layer in
                guard let levels = layer["levels"] as? [Any] else { return }
                layer["levels"] = Array(levels.prefix(3))
            }),
            ("event-count-minus-1.json", { $0["eventCount"] = -1 }),
            ("units-done-minus-1.json", { $0["unitsDone"] = -1 }),
            ("missing-layers.json", { object in
                guard var model = object["model"] as? [String: Any] else { return }
                model["layers"] = [Any]()
                object["model"] = model
            }),
        ]
        return edits.map { name, edit in (.checkpoint, name, substitute(edited(seed, edit), "1e30")) }
    }

    static func sensitivityTables() -> [(target: FuzzTarget, name: String, data: Data)] {
        guard let seed = SearchFixture.measuredTable() else { return [] }
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("right-fingerprint-fewer-single-rows.json", { $0["single"] = Array(($0["single"] as? [Any] ?? []).prefix(1)) }),
            ("right-fingerprint-short-rows.json", { $0["single"] = ($0["single"] as? [[Any]] ?? []).map { Array($0.prefix(1)) } }),
            ("right-fingerprint-empty-baseline.json", { $0["baseline"] = [Any]() }),
            ("right-fingerprint-pair-out-of-range.json", { object in
                object["pairs"] = [["first": 1_000_000, "second": -1, "joint": [[0.0]]]]
            }),
            ("right-fingerprint-no-candidates.json", { $0["candidateBits"] = [Any]() }),
        ]
        return edits.map { name, edit in (.sensitivityCache, name, edited(seed, edit)) }
    }

    static func eventLogs() -> [(target: FuzzTarget, name: String, data: Data)] {
        let lines = BuiltinSeeds.eventLog().split(separator: UInt8(ascii: "\n")).map { Data($0) }
        func line(_ type: String) -> Data { lines.first { String(decoding: $0, as: UTF8.self).contains("\"type\":\"\(type)\"") } ?? Data() }
        func log(_ extra: Data) -> Data { line("session_started") + Data("\n".utf8) + extra + Data("\n".utf8) }
        let logs: [(String, Data)] = [
            ("empty.jsonl", Data()),
            ("unit-int64-max.jsonl", log(substitute(edited(line("unit_started")) { $0["unit"] = placeholder }, "9223372036854775807"))),
            ("iteration-unit-int64-max.jsonl", log(substitute(edited(line("iteration")) { $0["unit"] = placeholder }, "9223372036854775807"))),
            ("wall-seconds-1e300.jsonl", log(substitute(edited(line("finished")) { $0["wall_seconds"] = placeholder }, "1e300"))),
            ("wbits-int64-min.jsonl", log(substitute(edited(line("bits_changed")) { $0["wbits"] = placeholder }, "-9223372036854775808"))),
            ("session-wbits-int64-min.jsonl", substitute(edited(line("session_started")) { $0["wbits"] = placeholder }, "-9223372036854775808")),
            ("time-nan.jsonl", log(substitute(edited(line("iteration")) { $0["t"] = placeholder }, "1e309"))),
        ]
        return logs.map { name, data in (.eventLog, name, data) }
    }

    static func bitsAndLatency() -> [(target: FuzzTarget, name: String, data: Data)] {
        let layer = BuiltinSeeds.layers[1]
        return [
            (.bitsConfig, "wbits-int64-min.json", Data(#"{"layers": {"\#(layer)": {"wbits": -9223372036854775808, "abits": 4}}}"#.utf8)),
            (.bitsConfig, "wbits-1e300.json", Data(#"{"layers": {"\#(layer)": {"wbits": 1e300, "abits": 4}}}"#.utf8)),
            (.latencyTable, "latency-1e300.json", substitute(edited(BuiltinSeeds.latencyTable()) { object in
                guard var layers = object["layers"] as? [String: Any] else { return }
                layers[layer] = ["2": placeholder, "4": placeholder, "8": placeholder]
                object["layers"] = layers
            }, "1e300")),
            (.latencyTable, "latency-negative.json", edited(BuiltinSeeds.latencyTable()) { object in
                guard var layers = object["layers"] as? [String: Any] else { return }
                layers[layer] = ["2": -1e30, "4": -1.0, "8": 0.0]
                object["layers"] = layers
            }),
        ]
    }

    static let placeholder = "@@regression@@"

    static func edited(_ data: Data, _ edit: (inout [String: Any]) -> Void) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        edit(&object)
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
    }

    /// Puts a JSON literal JSONSerialization cannot write (1e300, INT64_MIN as text) where the placeholder is.
    static func substitute(_ data: Data, _ literal: String) -> Data {
        Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(placeholder)\"", with: literal).utf8)
    }
}
