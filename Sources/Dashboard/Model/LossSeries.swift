/// One recorded point of a unit's reconstruction: the losses after `iteration`.
public struct LossPoint: Sendable, Equatable {
    public var iteration: Int
    public var reconstruction: Double
    public var regularizer: Double
    public init(iteration: Int, reconstruction: Double, regularizer: Double) {
        self.iteration = iteration; self.reconstruction = reconstruction; self.regularizer = regularizer
    }
}

/// A loss curve with bounded memory. A run of 20 000 iterations on 50 units
/// would otherwise keep a million points; a chart is at most a few hundred
/// braille dots wide, so when the series is full every second point is dropped
/// and from then on only every `stride`-th iteration is kept.
public struct LossSeries: Sendable, Equatable {
    public private(set) var points: [LossPoint] = []
    public let capacity: Int
    /// Minimum iteration distance between kept points; doubles on every compaction.
    public private(set) var stride: Int = 1

    public init(capacity: Int = 512) {
        precondition(capacity >= 4, "a series needs room for a few points")
        self.capacity = capacity
    }

    public var last: LossPoint? { points.last }
    public var isEmpty: Bool { points.isEmpty }

    public mutating func append(_ point: LossPoint) {
        // Out-of-order points (a restart not yet reset by the caller) must not fold the curve.
        if let last = points.last, point.iteration <= last.iteration { return }
        // The tail is provisional until it is a full stride past the point before it,
        // so the newest loss is always on screen without the series growing.
        if points.count >= 2, point.iteration - points[points.count - 2].iteration < stride {
            points[points.count - 1] = point
        } else {
            points.append(point)
        }
        compactIfFull()
    }

    private mutating func compactIfFull() {
        guard points.count > capacity else { return }
        let tail = points[points.count - 1]
        points = points.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        if points.last != tail { points.append(tail) }
        stride *= 2
    }
}
