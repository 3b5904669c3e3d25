/// An enum stored in files by its name (`"method": "brecq"`). Reading a name
/// the program does not know is a decoding error at that field that lists the
/// known names, never a crash; the name is escaped before it is shown.
public protocol NamedCase: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension NamedCase {
    /// The case named in `decoder`'s single value, or an error naming the field.
    public static func decodeNamed(from decoder: any Decoder) throws -> Self {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let value = Self(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            // The field's name is in the text too: some readers show only the description.
            let field = c.codingPath.last.map { TerminalText.sanitized($0.stringValue) } ?? "value"
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "unknown \(field) '\(TerminalText.sanitized(String(name.prefix(64))))' (expected one of \(known))")
        }
        return value
    }
}
