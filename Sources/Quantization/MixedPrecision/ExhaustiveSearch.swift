/// The exact optimum by enumerating every configuration of the free layers:
/// candidates^free of them, so only for small spaces (3^12 ≈ 531 000 is
/// fine). It validates the genetic search on the same objective.
public enum ExhaustiveSearch {
    public static let maximumConfigurations = 20_000_000

    /// The feasible vector of least objective (the first in enumeration order on ties),
    /// or nil when the space is too large to enumerate.
    public static func optimum(_ problem: SearchProblem) -> [Int]? {
        let k = problem.table.candidateBits.count
        var count = 1
        for _ in problem.free {
            count *= k
            if count > maximumConfigurations { return nil }
        }
        var v = problem.minimal
        var best = v
        var bestObjective = problem.objective(v)
        for i in problem.free { v[i] = 0 }
        while true {
            if problem.isFeasible(v) {
                let o = problem.objective(v)
                if o < bestObjective { best = v; bestObjective = o }
            }
            // Odometer increment over the free layers.
            var position = 0
            while position < problem.free.count {
                let i = problem.free[position]
                v[i] += 1
                if v[i] < k { break }
                v[i] = 0
                position += 1
            }
            if position == problem.free.count { return best }
        }
    }
}
