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
        var locked: [Int: Int] = [:]
        for (name, bits) in lockedBits.sorted(by: { $0.key < $1.key }) {
            guard let i = table.space.index(of: name) else {
                if let fixed = table.space.fixedLayers[name] {
                    throw InvalidProblem(description: "layer '\(name)' is not searched (stem or classifier); it stays at \(fixed) bits")
                }
                throw InvalidProblem(description: "--lock \(name)=\(bits): no searchable layer of that name")
            }
            guard let a = table.candidateBits.firstIndex(of: bits) else {
                throw InvalidProblem(description: "--lock \(name)=\(bits): \(bits) is not a candidate bit width \(table.candidateBits)")
            }
            locked[i] = a
        }
        self.table = table
        self.cost = cost
        self.limit = limit
        self.locked = locked
        self.free = (0..<table.space.count).filter { locked[$0] == nil }
        self.ascending = table.candidateBits.indices.sorted { table.candidateBits[$0] < table.candidateBits[$1] }
        let cheapest = minimal
        guard isFeasible(cheapest) else {
            throw InvalidProblem(description: "the budget \(limit) \(cost.measure.unit) is below the cheapest configuration "
                                 + "(\(cost.cost(bitIndices: cheapest)) \(cost.measure.unit): every searchable layer at "
                                 + "\(table.candidateBits[ascending[0]]) bits, locked layers as locked)")
        }
    }

    /// Every free layer at the fewest bits, locked layers as locked.
    public var minimal: [Int] {
        (0..<table.space.count).map { locked[$0] ?? ascending[0] }
    }

    public func objective(_ v: [Int]) -> Double { table.objective(bitIndices: v) }
    public func hardwareCost(_ v: [Int]) -> Double { cost.cost(bitIndices: v) }
    /// A tiny relative tolerance so that a budget equal to a configuration's cost admits it despite rounding.
    public func isFeasible(_ v: [Int]) -> Bool { hardwareCost(v) <= limit * (1 + 1e-12) }
    public func bits(_ v: [Int]) -> [Int] { v.map { table.candidateBits[$0] } }
}
