import Foundation
import FuzzTargets

// brecq-fuzz: the fuzzing harness without libFuzzer (see docs/fuzzing.md).
//
//   brecq-fuzz run TARGET [--cases N] [--seed S] [--without-regressions]
//                                                  mutate the seeds N times (default 1000, seed 1)
//   brecq-fuzz run TARGET --supervised [--crashes DIR] [--timeout S] [--rss-mb M] …
//                                                  the same in a child restarted after each crash,
//                                                  hang or RSS overrun, saving each failing input
//   brecq-fuzz replay TARGET FILE...               run each file once, with its time
//   brecq-fuzz supervise TARGET FILE|DIR... [--timeout S] [--rss-mb M] [--crashes DIR]
//                                                  each file in a child process; report crashes, hangs, RSS
//   brecq-fuzz write-seeds DIR                     the built-in seeds as DIR/<target>/builtin-N
//   brecq-fuzz write-regressions DIR               the Swift-made regression inputs as DIR/<target>/NAME
//   brecq-fuzz targets                             list the targets

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("brecq-fuzz: \(message)\n".utf8))
    exit(2)
}

func option(_ name: String, in arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name) else { return nil }
    guard i + 1 < arguments.count else { fail("\(name) needs a value") }
    let value = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
    return value
}

func target(_ name: String?) -> FuzzTarget {
    guard let name, let target = FuzzTarget(rawValue: name) else {
        fail("unknown target \(name ?? "(none)"); targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
    }
    return target
}

/// Files named, with directories expanded to their files.
func inputFiles(_ paths: [String]) -> [URL] {
    paths.flatMap { path -> [URL] in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file: \(path)") }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "help"
arguments = Array(arguments.dropFirst())
FuzzEnvironment.prepare()

switch command {
case "run":
    let cases = Int(option("--cases", in: &arguments) ?? "1000") ?? 1000
    let seed = UInt64(option("--seed", in: &arguments) ?? "1") ?? 1
    let withoutRegressions = arguments.contains("--without-regressions")
    let supervised = arguments.contains("--supervised")
    arguments.removeAll { $0 == "--without-regressions" || $0 == "--supervised" }
    let timeout = Double(option("--timeout", in: &arguments) ?? "10") ?? 10
    let rss = Int(option("--rss-mb", in: &arguments) ?? "2048") ?? 2048
    let crashes = option("--crashes", in: &arguments) ?? "fuzz-crashes"
    let t = target(arguments.first)
    if supervised {
        let run = SupervisedRun(target: t, cases: cases, seed: seed, withoutRegressions: withoutRegressions,
                                timeout: timeout, rssLimitMB: rss, crashDirectory: crashes)
        exit(run.run() == 0 ? 0 : 1)
    }
    let driver = FuzzDriver(target: t)
    print("current input: \(driver.currentInputPath)")
    print(driver.fuzz(seeds: FuzzCorpus.seeds(t, regressions: !withoutRegressions), cases: cases, seed: seed))
case "replay":
    let t = target(arguments.first)
    let report = FuzzDriver(target: t).replay(inputFiles(Array(arguments.dropFirst()))) { file, seconds in
        print(String(format: "%8.3f s  %@", seconds, file.path))
    }
    print(report)
case "supervise":
    let timeout = Double(option("--timeout", in: &arguments) ?? "10") ?? 10
    let rss = Int(option("--rss-mb", in: &arguments) ?? "2048") ?? 2048
    let crashes = option("--crashes", in: &arguments)
    let t = target(arguments.first)
    let supervisor = Supervisor(target: t, timeout: timeout, rssLimitMB: rss, crashDirectory: crashes)
    let failures = supervisor.run(inputFiles(Array(arguments.dropFirst())))
    exit(failures == 0 ? 0 : 1)
case "write-seeds":
    guard let directory = arguments.first else { fail("write-seeds DIR") }
    for t in FuzzTarget.allCases {
        for (k, seed) in BuiltinSeeds.seeds(t).enumerated() {
            write(seed, to: URL(fileURLWithPath: directory).appendingPathComponent("\(t.rawValue)/builtin-\(k)"))
        }
    }
case "write-regressions":
    guard let directory = arguments.first else { fail("write-regressions DIR") }
    for (t, name, data) in RegressionInputs.all() {
        write(data, to: URL(fileURLWithPath: directory).appendingPathComponent("\(t.rawValue)/\(name)"))
    }
case "targets":
    print(FuzzTarget.allCases.map(\.rawValue).joined(separator: "\n"))
default:
    print("usage: brecq-fuzz run|replay|supervise|write-seeds|write-regressions|targets … (see docs/fuzzing.md)")
}

func write(_ data: Data, to url: URL) {
    do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        print("wrote \(url.path) (\(data.count) bytes)")
    } catch { fail("\(url.path): \(error)") }
}
