/// The ranges an event field read from a recording may take. A recording is a
/// file anyone can hand to `brecq replay`; the dashboard and the progress lines
/// index, add and multiply these numbers, so each is bounded far above any real
/// run and far below where `+ 1`, `params × wbits` or a sum over layers overflows.
public enum EventFieldLimits {
    /// Seconds since the session started: about 30 years.
    public static let time: ClosedRange<Double> = 0...1e9
    /// Unit indices are below this; also the most units a session may list.
    public static let units = 100_000
    /// The most layers a session may list.
    public static let layers = 100_000
    /// Iterations of a unit, iteration numbers, generations, population.
    public static let iterations: ClosedRange<Int> = 0...100_000_000
    /// Parameters and MACs of a layer or unit: 10¹³ × 32 bits × 10⁵ layers stays below Int.max.
    public static let parameters: ClosedRange<Int> = 0...10_000_000_000_000
    /// Images evaluated or calibrated on.
    public static let images: ClosedRange<Int> = 0...1_000_000_000
    /// Weight and activation bits (32: floating point).
    public static let bits: ClosedRange<Int> = 1...32
    /// Losses, objectives, costs, rates: finite and small enough that differences and sums stay finite.
    public static let magnitude = 1e100
    /// Bins of a histogram (the rounding event's h(α) histogram has 10, an analysis histogram 32).
    public static let histogramBins = 1...1024
    /// Operations of one unit (a whole network as one unit stays far below).
    public static let unitNodes = 10_000
    /// Highest grid level of an analysis histogram (2^16 − 1: activation quantizers have at most 16 bits).
    public static let gridLevels = 1...65_535
    /// Dimensions of a unit's output shape.
    public static let shapeRank = 8
    /// Bytes of memory (the peak resident size): 1 PB.
    public static let memoryBytes = 1 << 50
}
