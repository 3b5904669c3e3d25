import Engine
import Foundation

/// A line an attached dashboard sends on the event socket → `ViewerRequest.parse`
/// (what the server runs on every line from a viewer). A request it accepts
/// must survive its own encoding: `parse(request.line())` gives it back.
enum ViewerRequestTarget {
    static func run(_ input: Data) throws {
        let request: ViewerRequest
        switch ViewerRequest.parse(input) {
        case .success(let parsed): request = parsed
        case .failure(let refusal): throw refusal
        }
        let again = ViewerRequest.parse(request.line())
        precondition(again == .success(request), "\(request) re-encoded as \(String(decoding: request.line(), as: UTF8.self)) parses as \(again)")
    }
}
