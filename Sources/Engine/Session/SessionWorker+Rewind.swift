import Foundation
import Network
import Quantization

/// Going back to a finished unit in a live session. The units before it keep
/// what they committed; it and every later unit return to the state a fresh
/// run gives them when it reaches the unit (weights round-to-nearest on their
/// L_p grids at their current bits, activation quantizers calibrated during it
/// or later cleared), and the session is rebuilt at its block with the streams
/// recomputed from the calibration images, as a resumed run's is. Each unit
/// draws from its own generator (`random(unit:phase:)`), so the re-run unit
/// gives what a run with the same bits from the start gives.
extension SessionWorker {
    /// Carries out a rewind to unit `k` (at most the unit running or last finished).
    func rewind(to k: Int, reason: String) throws {
        let last = min(units.count - 1, max(unitIndex, unitResults.count - 1))
        if k <= last { for unit in units[k...last] { try resetToNearest(unit) } }
        var model = session.model
        for i in model.activations.indices where calibratedDuring.indices.contains(i) {
            if calibratedDuring[i].map({ $0 >= k }) ?? true {
                model.activations[i].quantizer = nil
                calibratedDuring[i] = nil
            }
        }
        unitResults = Array(unitResults.prefix(k))
        for layer in units[k...].flatMap(\.layers) { isolatedErrorsOfFinishedUnits[layer] = nil }
        reconstructor = nil
        unitIndex = k
        // A pause holds through the rewind (the unit loop waits in its first iteration).
        let resumeState: RunState = state == .paused ? .paused : .running
        setState(.calibrating)
        session = session.rewound(model: model, toBlock: Self.blockIndex(ofUnit: k, graph: graph, units: units))
        // Passing the earlier blocks calibrated what they left uncalibrated, as unit k's start does in a fresh run.
        noteCalibrations(during: k)
        emit(.rewound(Rewound(unit: k, name: units[k].name, reason: reason)))
        emit(.message(Message(level: .info, text: "rewound to unit \(k + 1) (\(units[k].name)): \(reason); units \(k + 1)–\(units.count) run again")))
        refineEstimate(unitsDone: k)
        // A checkpoint now describes the rewound run: a resume continues from unit k, not from units since discarded.
        try writeCheckpoint(unitsDone: k)
        setState(resumeState)
    }

    /// Records unit `k` as the calibrator of every quantizer calibrated since the last note.
    func noteCalibrations(during k: Int) {
        let activations = session.model.activations
        if calibratedDuring.count != activations.count { calibratedDuring = Array(repeating: nil, count: activations.count) }
        for i in activations.indices where activations[i].quantizer != nil && calibratedDuring[i] == nil {
            calibratedDuring[i] = k
        }
    }

    /// For a resumed run, which unit calibrated each quantizer the checkpoint
    /// (and the streams' recomputation) calibrated: the unit whose operations
    /// make the tensor, else the first unit of a later block (the one whose
    /// start passed the block). Nil for the ones still uncalibrated.
    static func inferredCalibrations(session: QuantizationSession, units: [ReconstructionUnit], before start: Int) -> [Int?] {
        let graph = session.graph
        let blocks = session.blocks
        func block(ofNode n: Int) -> Int? { blocks.firstIndex { $0.nodeIndices.contains(n) } }
        return session.model.activations.map { a -> Int? in
            guard a.quantizer != nil, let producer = graph.producerIndex(of: a.tensor) else { return nil }
            if let j = units.firstIndex(where: { $0.nodeIndices.contains(producer) }) { return min(j, start) }
            guard let b = block(ofNode: producer) else { return start }
            let j = units.firstIndex { unit in unit.nodeIndices.first.flatMap(block(ofNode:)).map { $0 > b } ?? false }
            return min(j ?? start, start)
        }
    }
}
