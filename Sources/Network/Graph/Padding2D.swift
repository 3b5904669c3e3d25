/// Zero padding (or pooling pad) added around the two spatial axes, per side.
/// ONNX spells it `pads = [top, left, bottom, right]`.
public struct Padding2D: Sendable, Equatable, Codable {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    public static let zero = Padding2D(top: 0, left: 0, bottom: 0, right: 0)

    public var isSymmetric: Bool { top == bottom && left == right }
}
