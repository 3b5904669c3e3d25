import Foundation

/// Typed iteration counts: one for the running unit, one for every unit not yet started.
public struct IterationsForm: Sendable, Equatable {
    public enum Field: Sendable, Equatable { case current, remaining }
    public var current: String
    public var remaining: String
    public var selected: Field = .current
    /// The first key typed into a freshly selected field replaces its text.
    public var replaceOnType = true
    public var error: String?

    public init(current: Int?, remaining: Int) {
        self.current = current.map(String.init) ?? ""
        self.remaining = String(remaining)
    }

    /// Empty means "unchanged"; the engine accepts 1 to 10 million iterations.
    public func parsed() -> Result<(current: Int?, remaining: Int?), FormError> {
        func parse(_ text: String, _ name: String) -> Result<Int?, FormError> {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .success(nil) }
            guard let n = Int(t), (1...10_000_000).contains(n) else {
                return .failure(FormError("\(name): a whole number from 1 to 10000000"))
            }
            return .success(n)
        }
        switch (parse(current, "current unit"), parse(remaining, "remaining units")) {
        case let (.success(c), .success(r)): return .success((c, r))
        case let (.failure(e), _), let (_, .failure(e)): return .failure(e)
        }
    }
}
