import Foundation
import Tensor

extension KeyedDecodingContainer {
    /// An integer field read as a JSON number, so that 1.5 or 1e300 is said as
    /// "layers.conv1.wbits: 1.5 is not an integer in range" instead of Foundation's
    /// "The given data was not valid JSON" without a field.
    func decodeWholeNumber(forKey key: Key) throws -> Int {
        let value = try decode(Double.self, forKey: key)
        do { return try CheckedSize.integer(value, key.stringValue) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.reason)
        }
    }

    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        try contains(key) && !decodeNil(forKey: key) ? decodeWholeNumber(forKey: key) : nil
    }
}
