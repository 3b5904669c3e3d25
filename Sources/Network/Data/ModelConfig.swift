import Foundation

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

    enum CodingKeys: String, CodingKey {
        case inputShape = "input_shape", classes, mean, std, scale, dataset
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
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)"
                : "no such file (each model needs a config.json beside it with input_shape, classes, mean, std)")
        }
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(ModelConfig.self, from: data)
        } catch {
            throw .invalidConfig(path: path, reason: "\(error)")
        }
        try config.validate(path: path)
        return config
    }

    func validate(path: String) throws(DatasetError) {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidConfig(path: path, reason: "input_shape must be [C, H, W], got \(inputShape)")
        }
        let channels = inputShape[0]
        guard mean.count == 1 || mean.count == channels, std.count == mean.count else {
            throw .invalidConfig(path: path, reason: "mean/std need 1 or \(channels) values, got \(mean.count)/\(std.count)")
        }
        guard std.allSatisfy({ $0 > 0 }), classes > 0 else {
            throw .invalidConfig(path: path, reason: "std must be positive and classes ≥ 1")
        }
    }
}
