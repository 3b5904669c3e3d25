/// One layer's weight bits and the bits of the activations it reads: the
/// `{"wbits": 4, "abits": 4}` of bits files, of the export's encodings
/// (`bit_configuration`), of run summaries and of checkpoints. Only valid
/// widths can be held: the one initialiser checks them, and decoding goes
/// through it, so a bad width in any file is an error naming the field.
public struct LayerBits: Sendable, Codable, Equatable, Hashable {
    /// 2…8.
    public let wbits: Int
    /// 2…8, or 32 when the layer's input is not quantized.
    public let abits: Int

    /// A width out of range, naming the field (`wbits` or `abits`).
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        /// "must be in 2…8, got 9".
        public var problem: String
        public var description: String { "\(field) \(problem)" }
    }

    public init(wbits: Int, abits: Int) throws(Invalid) {
        if let problem = BitWidth.problem(wbits, for: .weights) { throw Invalid(field: "wbits", problem: problem) }
        if let problem = BitWidth.problem(abits, for: .activations) { throw Invalid(field: "abits", problem: problem) }
        self.wbits = wbits
        self.abits = abits
    }

    enum CodingKeys: String, CodingKey { case wbits, abits }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Whole numbers only (4.0 is 4, 4.5 an error), then the range, each error at its key.
        let wbits = try c.decodeWholeNumber(forKey: .wbits)
        let abits = try c.decodeWholeNumber(forKey: .abits)
        if let problem = BitWidth.problem(wbits, for: .weights) {
            throw DecodingError.dataCorruptedError(forKey: .wbits, in: c, debugDescription: problem)
        }
        if let problem = BitWidth.problem(abits, for: .activations) {
            throw DecodingError.dataCorruptedError(forKey: .abits, in: c, debugDescription: problem)
        }
        self.wbits = wbits
        self.abits = abits
    }
}
