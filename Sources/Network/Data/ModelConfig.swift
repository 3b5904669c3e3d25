import Foundation
import Tensor

/// The small JSON file next to a model (`config.json`) that says what the
/// model expects: input sample shape, class count and input normalisation
/// `x = (pixel · scale − mean[c]) / std[c]`.
public struct ModelConfig: Sendable, Codable, Equatable {
    public var inputShape: [Int]
    public var classes: Int
    public var mean: [Double]
    public var std: [Double]
    /// Applied to integer (uint8) pixels before mean/std; float arrays are
    /// taken as already scaled. Default 1/255.
    public var scale: Double?
    public var dataset: String?
    /// Image folders only: the shorter side after resizing, before the centre
    /// crop to `input_shape`'s H×W (default `ImageTransform.defaultResize`).
    public var resize: Int?
    /// Image folders only: `rgb` (default) or `bgr` channel order.
    public var channelOrder: ImageTransform.ChannelOrder?

    enum CodingKeys: String, CodingKey {
        case inputShape = "input_shape", classes, mean, std, scale, dataset, resize, channelOrder = "channel_order"
    }

    public init(inputShape: [Int], classes: Int, mean: [Double], std: [Double], scale: Double? = 1.0 / 255.0, dataset: String? = nil) {
        self.inputShape = inputShape
        self.classes = classes
        self.mean = mean
        self.std = std
        self.scale = scale
        self.dataset = dataset
    }

    public var pixelScale: Double { scale ?? 1.0 / 255.0 }

    /// `config.json` in the model's directory.
    public static func path(forModel modelPath: String) -> String {
        URL(fileURLWithPath: modelPath).deletingLastPathComponent().appendingPathComponent("config.json").path
    }

    public static func load(path: String) throws(DatasetError) -> ModelConfig {
        let data: Data
        do { data = try RegularFile.read(path, what: "a model config (JSON)", symbolicLinks: .followed) } catch {
            guard error.isMissing else { throw DatasetError(error) }
            throw .unreadable(path: path, reason: "no such file (each model needs a config.json beside it with input_shape, classes, mean, std)")
        }
        return try decode(data: data, path: path)
    }

    /// Parses and validates `config.json` bytes; `path` names them in errors.
    public static func decode(data: Data, path: String = "config.json") throws(DatasetError) -> ModelConfig {
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(ModelConfig.self, from: data)
        } catch let error as UntrustedSizeError {
            throw .invalidConfig(path: path, reason: error.description)
        } catch let error as DecodingError {
            throw .invalidConfig(path: path, reason: Self.oneLine(error))
        } catch {
            throw .invalidConfig(path: path, reason: TerminalText.sanitized("\(error)"))
        }
        try config.validate(path: path)
        return config
    }

    /// Largest class count accepted: logits and per-class statistics are allocated per class.
    public static let maximumClasses = 1 << 24

    /// Numbers are read as JSON numbers (Double) and become sizes only through
    /// `CheckedSize`, so 1e30, 2.5 or -1 give an error naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try c.decode([Double].self, forKey: .inputShape)
        inputShape = try shape.enumerated().map { index, value throws(UntrustedSizeError) in
            try CheckedSize.count(value, "input_shape[\(index)]")
        }
        classes = try CheckedSize.count(try c.decode(Double.self, forKey: .classes), "classes", limit: Self.maximumClasses)
        mean = try c.decode([Double].self, forKey: .mean)
        std = try c.decode([Double].self, forKey: .std)
        scale = try c.decodeIfPresent(Double.self, forKey: .scale)
        dataset = try c.decodeIfPresent(String.self, forKey: .dataset)
        resize = try c.decodeIfPresent(Double.self, forKey: .resize).map { value throws(UntrustedSizeError) in
            try CheckedSize.count(value, "resize", limit: 1 << 16)
        }
        channelOrder = try c.decodeIfPresent(ImageTransform.ChannelOrder.self, forKey: .channelOrder)
    }

    /// A decoding error in one line: the JSON path and what was wrong there.
    private static func oneLine(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case let .keyNotFound(key, _): return "missing field \(key.stringValue)"
        case let .typeMismatch(type, context): return "\(path(context)) is not a \(type == Double.self ? "number" : "\(type)")"
        case let .valueNotFound(type, context): return "\(path(context)) is null, expected \(type == Double.self ? "a number" : "\(type)")"
        case let .dataCorrupted(context):
            let at = path(context)
            return (at.isEmpty ? "" : "\(at): ") + "not valid JSON (\(TerminalText.sanitized(context.debugDescription)))"
        @unknown default: return TerminalText.sanitized("\(error)")
        }
    }

    func validate(path: String) throws(DatasetError) {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidConfig(path: path, reason: "input_shape must be [C, H, W], got \(inputShape)")
        }
        let channels = inputShape[0]
        guard mean.count == 1 || mean.count == channels, std.count == mean.count else {
            throw .invalidConfig(path: path, reason: "mean/std need 1 or \(channels) values, got \(mean.count)/\(std.count)")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite), classes > 0 else {
            throw .invalidConfig(path: path, reason: "std must be positive, mean and std finite, and classes ≥ 1")
        }
        if let resize, resize < 1 {
            throw .invalidConfig(path: path, reason: "resize must be at least 1, got \(resize)")
        }
        if let scale, !(scale > 0 && scale.isFinite) {
            throw .invalidConfig(path: path, reason: "scale must be a positive number, got \(scale)")
        }
        try DatasetError.checking { () throws(UntrustedSizeError) in
            let elements = try CheckedSize.product(inputShape, "model config \(path): input_shape \(inputShape)")
            try AllocationLimit.check(elements, "model config \(path): input_shape \(inputShape) for one sample")
        }
    }
}
