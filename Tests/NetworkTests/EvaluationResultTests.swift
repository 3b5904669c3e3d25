import XCTest
import Network

/// The one place top-1/top-5 hits are counted, and the percentages made from them.
final class EvaluationResultTests: XCTestCase {
    func testALabelsRankIsTheNumberOfClassesScoringStrictlyHigher() {
        var hits = EvaluationResult.Hits()
        // Seven classes. Row 0: label 2 scores highest → top-1. Row 1: label 0 has
        // five classes above it → neither. Row 2: label 6 has four above → top-5 only.
        // Row 3: a tie with the best counts as top-1 (nothing strictly higher).
        hits.count(logits: [0, 1, 9, 2, 3, 4, 5,
                            0, 1, 2, 3, 4, 5, -1,
                            9, 8, 7, 6, 0, 0, 5,
                            4, 4, 1, 1, 1, 1, 1], classes: 7, labels: [2, 0, 6, 1])
        XCTAssertEqual(hits, EvaluationResult.Hits(images: 4, top1: 2, top5: 3))
        let result = EvaluationResult(model: .fp, hits: hits)
        XCTAssertEqual(result.top1, 50)
        XCTAssertEqual(result.top5, 75)
        XCTAssertNil(result.kl)
    }

    func testALabelWithoutAScoreIsAMissAndAnEmptySetIsZero() {
        var hits = EvaluationResult.Hits()
        hits.count(logits: [1, 2, 3], classes: 3, labels: [7])
        hits.count(logits: [1, 2, 3], classes: 3, labels: [-1])
        XCTAssertEqual(hits, EvaluationResult.Hits(images: 2, top1: 0, top5: 0))
        XCTAssertEqual(EvaluationResult(model: .fp, hits: EvaluationResult.Hits()).top1, 0)
    }

    func testBatchesAddUpToTheWholeSet() {
        let logits: [Float] = (0..<60).map { Float(($0 * 37) % 11) }
        let labels = (0..<10).map { $0 % 6 }
        var whole = EvaluationResult.Hits()
        whole.count(logits: logits, classes: 6, labels: labels)
        var batched = EvaluationResult.Hits()
        batched.count(logits: Array(logits[0..<24]), classes: 6, labels: Array(labels[0..<4]))
        batched.count(logits: Array(logits[24...]), classes: 6, labels: Array(labels[4...]))
        XCTAssertEqual(batched, whole)
    }
}
