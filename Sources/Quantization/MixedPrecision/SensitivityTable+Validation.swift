import Tensor

extension SensitivityTable {
    /// Refuses, naming the field, a table that is not a measurement of `space`
    /// with `settings` on `images` images: a cached file with the right name
    /// (fingerprint) can still hold anything, and the search indexes these
    /// arrays by the space's layers and the candidate bits without checks.
    public func validate(space expected: SearchSpace, settings: SensitivityAnalysis.Settings,
                         images expectedImages: Int) throws(UntrustedSizeError) {
        guard space == expected else {
            throw UntrustedSizeError(what: "space", reason: "\(space.count) layers in \(space.units.count) units, not the model's \(expected.count) in \(expected.units.count)")
        }
        guard candidateBits == settings.candidateBits else {
            throw UntrustedSizeError(what: "candidateBits", reason: "\(candidateBits), expected \(settings.candidateBits)")
        }
        guard activationBits == settings.activationBits else {
            throw UntrustedSizeError(what: "activationBits", reason: "\(activationBits), expected \(settings.activationBits)")
        }
        guard images == expectedImages else {
            throw UntrustedSizeError(what: "images", reason: "\(images), expected \(expectedImages)")
        }
        let bits = candidateBits.count
        try Self.check(baseline, count: expected.units.count, "baseline")
        guard single.count == expected.count else {
            throw UntrustedSizeError(what: "single", reason: "\(single.count) rows for \(expected.count) searchable layers")
        }
        for (i, row) in single.enumerated() { try Self.check(row, count: bits, "single[\(i)]") }
        var expectedPairs: [(Int, Int)] = []
        for group in expected.layersByUnit {
            for m in group.indices { for n in (m + 1)..<group.count { expectedPairs.append((group[m], group[n])) } }
        }
        guard pairs.count == expectedPairs.count else {
            throw UntrustedSizeError(what: "pairs", reason: "\(pairs.count) pairs, expected \(expectedPairs.count) (every two layers of a unit)")
        }
        for (k, (pair, want)) in zip(pairs, expectedPairs).enumerated() {
            guard pair.first == want.0, pair.second == want.1 else {
                throw UntrustedSizeError(what: "pairs[\(k)]", reason: "layers \(pair.first), \(pair.second), expected \(want.0), \(want.1)")
            }
            guard pair.joint.count == bits else {
                throw UntrustedSizeError(what: "pairs[\(k)].joint", reason: "\(pair.joint.count) rows for \(bits) candidate bits")
            }
            for (a, row) in pair.joint.enumerated() { try Self.check(row, count: bits, "pairs[\(k)].joint[\(a)]") }
        }
    }

    /// `values` has `count` entries, each a finite error.
    private static func check(_ values: [Double], count: Int, _ what: String) throws(UntrustedSizeError) {
        guard values.count == count else { throw UntrustedSizeError(what: what, reason: "\(values.count) values, expected \(count)") }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw UntrustedSizeError(what: "\(what)[\(bad)]", reason: "\(values[bad]) is not a finite error")
        }
    }
}
