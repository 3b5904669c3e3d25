@testable import Engine
import TestFixtures

/// The session tests' base: `TinyModelTestCase` with the smaller data set a
/// `TinyRun` expects, seen through the run helpers.
class TinyRunTestCase: TinyModelTestCase {
    override class var datasetSize: (train: Int, test: Int) { TinyRun.datasetSize }

    var tiny: TinyRun { TinyRun(files: model) }

    /// Runs `c` to its end with its checkpoint in `directory`, sending `commands` first;
    /// with `stopAfterUnit`, stops once that unit has finished (the checkpoint is then written).
    func runSession(_ c: RunConfiguration, checkpoint directory: String, resume: Bool = false, stopAfterUnit: Int? = nil,
                    commands: [EngineCommand] = []) -> (outcome: SessionRunner.Outcome, events: [EngineEvent]) {
        let runner = SessionRunner(configuration: c, options: .init(checkpointDirectory: directory, resume: resume))
        runner.start()
        commands.forEach(runner.send)
        let events = EventCollector(runner)
        if let k = stopAfterUnit {
            events.waitFor { if case .unitFinished(let f) = $0 { f.unit == k } else { false } }
            runner.send(.stop)
        }
        let outcome = events.finish()
        return (outcome, events.events)
    }
}
