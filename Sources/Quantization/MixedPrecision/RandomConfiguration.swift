import Tensor

/// A random feasible bit vector: every free layer draws a candidate
/// uniformly, then, while over budget, a random layer that can still go
/// lower drops to its next lower candidate. This is the GA's initial
/// population; `drawUsingBudget` is the "random configuration of the same
/// budget" baseline.
public enum RandomConfiguration {
    public static func draw(_ problem: SearchProblem, random: inout Xoshiro256StarStar) -> [Int] {
        var v = problem.minimal
        let k = problem.table.candidateBits.count
        for i in problem.free { v[i] = random.integer(below: k) }
        repair(&v, problem, random: &random)
        return v
    }

    /// A draw raised, one random layer and one step at a time, until no free
    /// layer can go up without breaking the budget. Repairing alone can overshoot
    /// far below the budget (one large layer dropping 8 → 4 bits); the baseline
    /// should spend what the searched configuration may spend.
    public static func drawUsingBudget(_ problem: SearchProblem, random: inout Xoshiro256StarStar) -> [Int] {
        var v = draw(problem, random: &random)
        let rank = rankOfCandidate(problem)
        var raisable = problem.free.filter { rank[v[$0]] < problem.ascending.count - 1 }
        while !raisable.isEmpty {
            let pick = random.integer(below: raisable.count)
            let i = raisable[pick]
            let before = v[i]
            v[i] = problem.ascending[rank[before] + 1]
            if !problem.isFeasible(v) {
                v[i] = before
                raisable.remove(at: pick)
            } else if rank[v[i]] == problem.ascending.count - 1 {
                raisable.remove(at: pick)
            }
        }
        return v
    }

    /// Lowers random free layers one step at a time until `v` fits the budget.
    /// Always ends feasible, because the all-minimal vector is (`SearchProblem` checks).
    public static func repair(_ v: inout [Int], _ problem: SearchProblem, random: inout Xoshiro256StarStar) {
        let rank = rankOfCandidate(problem)
        while !problem.isFeasible(v) {
            let lowerable = problem.free.filter { rank[v[$0]] > 0 }
            let i = lowerable[random.integer(below: lowerable.count)]
            v[i] = problem.ascending[rank[v[i]] - 1]
        }
    }

    /// Position of each candidate index in `problem.ascending`.
    static func rankOfCandidate(_ problem: SearchProblem) -> [Int] {
        var rank = [Int](repeating: 0, count: problem.ascending.count)
        for (r, a) in problem.ascending.enumerated() { rank[a] = r }
        return rank
    }
}
