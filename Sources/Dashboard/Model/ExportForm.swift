/// Where to write the quantized model of a finished run (QDQ ONNX; the
/// encodings JSON goes beside it).
public struct ExportForm: Sendable, Equatable {
    public var path: String
    public var error: String?

    public init(path: String) { self.path = path }

    /// A path to write to, or why not.
    public func parsed() -> Result<String, FormError> {
        let p = path.trimmingCharacters(in: .whitespaces)
        if p.isEmpty { return .failure(FormError("a file name is needed")) }
        if p.hasSuffix("/") { return .failure(FormError("a file name is needed, not a directory")) }
        return .success(p)
    }
}
