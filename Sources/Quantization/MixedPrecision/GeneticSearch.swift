import Tensor

/// BRECQ's genetic search over per-layer weight bits: minimise the summed
/// sensitivity subject to hardware cost ≤ budget.
///
/// - Initial population: `RandomConfiguration` draws (uniform, then repaired
///   down to the budget), distinct where the space allows.
/// - Each generation draws `population` children. A child is the uniform
///   crossover of two parents picked at random among the `parents` fittest,
///   then each free layer mutates with `mutationProbability` to another
///   candidate. **Infeasible children are discarded** (as in the reference
///   description), and so are duplicates of a member or of another child.
/// - Elitism: the `elites` fittest members survive unchanged; the other
///   places go to the fittest accepted children, topped up with the next
///   fittest members when too few children were accepted.
/// - Locked layers hold their bits in every individual (never crossed into a
///   different value, never mutated).
///
/// Deterministic given `seed`: all randomness comes from one xoshiro256** stream.
public struct GeneticSearch: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var population: Int
        public var generations: Int
        /// Per free layer, per child.
        public var mutationProbability: Double
        /// How many of the fittest members may be parents.
        public var parents: Int
        /// How many of the fittest members survive unchanged.
        public var elites: Int
        public var seed: UInt64

        public init(population: Int = 50, generations: Int = 100, mutationProbability: Double = 0.1,
                    parents: Int = 10, elites: Int = 5, seed: UInt64 = 0) {
            self.population = population
            self.generations = generations
            self.mutationProbability = mutationProbability
            self.parents = parents
            self.elites = elites
            self.seed = seed
        }

        public func validationError() -> String? {
            if population < 2 { return "population must be ≥ 2 (got \(population))" }
            if generations < 0 { return "generations must be ≥ 0 (got \(generations))" }
            if !(0...1).contains(mutationProbability) { return "mutation probability must be in 0…1 (got \(mutationProbability))" }
            if parents < 1 || parents > population { return "parents must be in 1…population (got \(parents))" }
            if elites < 0 || elites >= population { return "elites must be in 0…population−1 (got \(elites))" }
            return nil
        }
    }

    /// One generation's summary (the engine turns it into a `GenerationStats` event).
    public struct Generation: Sendable, Equatable {
        /// 1-based.
        public var generation: Int
        public var generations: Int
        public var bestObjective: Double
        public var meanObjective: Double
        /// Children within the budget, of `population` drawn this generation.
        public var feasibleChildren: Int
        public var population: Int
        /// Weight bits per searchable layer (`SearchSpace.layers` order).
        public var bestBits: [Int]
        public var bestCost: Double
    }

    public struct Result: Sendable, Equatable {
        /// Weight bits per searchable layer (`SearchSpace.layers` order).
        public var bits: [Int]
        public var objective: Double
        public var cost: Double
        public var limit: Double
    }

    public let configuration: Configuration
    public let problem: SearchProblem

    public init(configuration: Configuration, problem: SearchProblem) {
        precondition(configuration.validationError() == nil, configuration.validationError() ?? "")
        self.configuration = configuration
        self.problem = problem
    }

    private struct Member {
        var genes: [Int]
        var objective: Double
    }

    public func run(onGeneration: (Generation) -> Void = { _ in }) -> Result {
        var random = Xoshiro256StarStar(seed: configuration.seed)
        let p = configuration.population
        let k = problem.table.candidateBits.count
        var seen = Set<[Int]>()
        var population: [Member] = []
        // Distinct members where possible; a space smaller than the population repeats some.
        var attempts = 0
        while population.count < p {
            let genes = RandomConfiguration.draw(problem, random: &random)
            attempts += 1
            if seen.contains(genes) && attempts < 20 * p { continue }
            seen.insert(genes)
            population.append(Member(genes: genes, objective: problem.objective(genes)))
        }
        sortByFitness(&population)
        var best = population[0]

        for g in 0..<configuration.generations {
            let members = Set(population.map(\.genes))
            var children: [Member] = []
            var childSet = Set<[Int]>()
            var feasible = 0
            let pool = min(configuration.parents, population.count)
            for _ in 0..<p {
                let a = random.integer(below: pool)
                var b = pool > 1 ? random.integer(below: pool - 1) : a
                if pool > 1 && b >= a { b += 1 }
                var genes = population[a].genes
                for i in problem.free where random.integer(below: 2) == 1 { genes[i] = population[b].genes[i] }
                for i in problem.free where Double(random.uniformDouble()) < configuration.mutationProbability && k > 1 {
                    let other = random.integer(below: k - 1)
                    genes[i] = other >= genes[i] ? other + 1 : other
                }
                guard problem.isFeasible(genes) else { continue }
                feasible += 1
                if members.contains(genes) || childSet.contains(genes) { continue }
                childSet.insert(genes)
                children.append(Member(genes: genes, objective: problem.objective(genes)))
            }
            sortByFitness(&children)
            var next = Array(population.prefix(configuration.elites))
            next += children.prefix(p - next.count)
            if next.count < p { next += population[configuration.elites...].prefix(p - next.count) }
            sortByFitness(&next)
            population = next
            if population[0].objective < best.objective { best = population[0] }
            onGeneration(Generation(generation: g + 1, generations: configuration.generations,
                                    bestObjective: best.objective,
                                    meanObjective: population.map(\.objective).reduce(0, +) / Double(population.count),
                                    feasibleChildren: feasible, population: p,
                                    bestBits: problem.bits(best.genes), bestCost: problem.hardwareCost(best.genes)))
        }
        return Result(bits: problem.bits(best.genes), objective: best.objective, cost: problem.hardwareCost(best.genes),
                      limit: problem.limit)
    }

    /// Fittest first; ties keep their order (a stable sort), so runs are reproducible.
    private func sortByFitness(_ members: inout [Member]) {
        members = members.enumerated().sorted { x, y in
            x.element.objective != y.element.objective ? x.element.objective < y.element.objective : x.offset < y.offset
        }.map(\.element)
    }
}
