/// What every search over bit vectors shares: the objective (sensitivity),
/// the constraint (hardware cost ≤ limit) and the locked layers. Vectors are
/// indices into `candidateBits`, one per searchable layer.
public struct SearchProblem: Sendable {
    public let table: SensitivityTable
    public let cost: HardwareCost
    /// The largest admissible cost.
    public let limit: Double
    /// Searchable layer index → locked candidate index.
    public let locked: [Int: Int]
    /// Searchable layers the search may change, in order.
    public let free: [Int]
    /// Candidate indices from the fewest bits to the most.
    public let ascending: [Int]

    public struct InvalidProblem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// `lockedBits`: layer name → weight bits, kept throughout. They must be
    /// searchable layers and candidate bit widths (the table has no errors for others).
    public init(table: SensitivityTable, cost: HardwareCost, limit: Double, lockedBits: [String: Int] = [:]) throws(InvalidProblem) {
        guard table.candidateBits == cost.candidateBits, table.space.count == cost.perLayer.count else {
            throw InvalidProblem(description: "the sensitivity table and the cost model disagree on layers or candidate bits")
        }
        let locked = try Self.resolveLocks(lockedBits, space: table.space, cost: cost, limit: limit)
        self.table = table
        self.cost = cost
        self.limit = limit
        self.locked = locked
        self.free = (0..<table.space.count).filter { locked[$0] == nil }
        self.ascending = Self.ascending(cost.candidateBits)
    }

    /// The locks as searchable layer index → candidate index, checked before
    /// any sensitivity is measured: each names a searchable layer and a
    /// candidate bit width, and the budget admits the cheapest configuration.
    public static func resolveLocks(_ lockedBits: [String: Int], space: SearchSpace, cost: HardwareCost,
                                    limit: Double) throws(InvalidProblem) -> [Int: Int] {
        let candidates = cost.candidateBits
        var locked: [Int: Int] = [:]
        for (name, bits) in lockedBits.sorted(by: { $0.key < $1.key }) {
            guard let i = space.index(of: name) else {
                if let fixed = space.fixedLayers[name] {
                    throw InvalidProblem(description: "layer '\(name)' is not searched (stem or classifier); it stays at \(fixed) bits")
                }
                throw InvalidProblem(description: "--lock \(name)=\(bits): no searchable layer of that name")
            }
            guard let a = candidates.firstIndex(of: bits) else {
                throw InvalidProblem(description: "--lock \(name)=\(bits): \(bits) is not a candidate bit width \(candidates)")
            }
            locked[i] = a
        }
        let fewest = ascending(candidates)[0]
        let cheapest = (0..<space.count).map { locked[$0] ?? fewest }
        guard cost.cost(bitIndices: cheapest) <= limit * (1 + feasibilityTolerance) else {
            throw InvalidProblem(description: String(
                format: "the budget %.6g %@ is below the cheapest configuration (%.6g %@: every searchable layer at %d bits, locked layers as locked)",
                limit, cost.measure.unit, cost.cost(bitIndices: cheapest), cost.measure.unit, candidates[fewest]))
        }
        return locked
    }

    private static func ascending(_ candidates: [Int]) -> [Int] { candidates.indices.sorted { candidates[$0] < candidates[$1] } }

    /// A tiny relative tolerance so that a budget equal to a configuration's cost admits it despite rounding.
    private static let feasibilityTolerance = 1e-12

    /// Every free layer at the fewest bits, locked layers as locked.
    public var minimal: [Int] {
        (0..<table.space.count).map { locked[$0] ?? ascending[0] }
    }

    public func objective(_ v: [Int]) -> Double { table.objective(bitIndices: v) }
    public func hardwareCost(_ v: [Int]) -> Double { cost.cost(bitIndices: v) }
    public func isFeasible(_ v: [Int]) -> Bool { hardwareCost(v) <= limit * (1 + Self.feasibilityTolerance) }
    public func bits(_ v: [Int]) -> [Int] { v.map { table.candidateBits[$0] } }
}
