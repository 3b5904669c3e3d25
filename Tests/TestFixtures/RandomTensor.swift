import Tensor

/// A tensor of values uniform in [−1, 1), the same for the same seed.
public func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = Xoshiro256StarStar(seed: seed)
    var values = [Float](repeating: 0, count: shape.reduce(1, *))
    rng.fillUniform(&values, low: -1, high: 1)
    return Tensor(shape: shape, data: values)
}
