import Foundation
import Quantization
import Tensor

/// What an attached viewer may send to the event server, one JSON object per
/// line: a request to steer, then (once granted) engine commands. Everything
/// read from a socket is hostile: lines are bounded, fields are checked here
/// and every command is checked again by the engine as a local key's would be.
public enum ViewerRequest: Sendable, Equatable {
    /// Steer the run (granted to one viewer with the owner's uid).
    case control
    case command(EngineCommand)

    /// The longest request line read; a longer one ends the connection.
    static let maximumLineBytes = 16 * 1024
    /// Layer names longer than this are not a layer of any graph brecq loads.
    static let maximumLayerName = 1024

    private struct Line: Codable {
        var request: String
        var command: String?
        var current: Int?
        var defaultIterations: Int?
        var layer: String?
        var wbits: Int?
        var abits: Int?
        var hyperparameters: Hyperparameters?
        var restartCurrent: Bool?
        var images: Int?
        var unit: Int?
    }

    /// One line, without its newline.
    public func line() -> Data {
        var line = Line(request: "command")
        switch self {
        case .control: line.request = "control"
        case .command(let command):
            switch command {
            case .pause: line.command = "pause"
            case .resume: line.command = "resume"
            case .stop: line.command = "stop"
            case let .setIterations(current, defaultIterations):
                line.command = "set_iterations"; line.current = current; line.defaultIterations = defaultIterations
            case let .lock(layer, wbits, abits):
                line.command = "lock"; line.layer = layer; line.wbits = wbits; line.abits = abits
            case .unlock(let layer): line.command = "unlock"; line.layer = layer
            case let .setHyperparameters(h, restart):
                line.command = "set_hyperparameters"; line.hyperparameters = h; line.restartCurrent = restart
            case .restartUnit: line.command = "restart_unit"
            case .rewind(let unit): line.command = "rewind"; line.unit = unit
            case .skipUnit: line.command = "skip_unit"
            case .evaluate(let images): line.command = "evaluate"; line.images = images
            case .startSearch: line.command = "start_search"
            // Sent as its name only: the server refuses it (below), so no path crosses the socket.
            case .export: line.command = "export"
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        // Hyperparameters are finite once validated by the form; a NaN would not encode and is sent as nothing.
        return (try? encoder.encode(line)) ?? Data("{}".utf8)
    }

    /// A request, or why the line is not one. A viewer may never stop the
    /// owner's run: leaving an attached dashboard only detaches it.
    public static func parse(_ bytes: Data) -> Result<ViewerRequest, ViewerRequestError> {
        guard bytes.count <= maximumLineBytes else { return .failure(ViewerRequestError("request longer than \(maximumLineBytes) bytes")) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let line: Line
        do { line = try decoder.decode(Line.self, from: bytes) } catch { return .failure(ViewerRequestError("not a request")) }
        switch line.request {
        case "control": return .success(.control)
        case "command": break
        default: return .failure(ViewerRequestError("unknown request"))
        }
        func layerName() -> String? {
            guard let layer = line.layer, !layer.isEmpty, layer.utf8.count <= maximumLayerName,
                  TerminalText.sanitized(layer) == layer else { return nil }
            return layer
        }
        let command: EngineCommand
        switch line.command {
        case "pause": command = .pause
        case "resume": command = .resume
        case "set_iterations":
            guard line.current != nil || line.defaultIterations != nil else { return .failure(ViewerRequestError("set_iterations without a value")) }
            command = .setIterations(current: line.current, default: line.defaultIterations)
        case "lock":
            guard let layer = layerName(), let w = line.wbits, let a = line.abits,
                  EventFieldLimits.bits.contains(w), EventFieldLimits.bits.contains(a) else { return .failure(ViewerRequestError("bad lock")) }
            command = .lock(layer: layer, wbits: w, abits: a)
        case "unlock":
            guard let layer = layerName() else { return .failure(ViewerRequestError("bad unlock")) }
            command = .unlock(layer: layer)
        case "set_hyperparameters":
            guard let h = line.hyperparameters else { return .failure(ViewerRequestError("set_hyperparameters without values")) }
            if let problem = h.validationError() { return .failure(ViewerRequestError(problem)) }
            command = .setHyperparameters(h, restartCurrent: line.restartCurrent ?? false)
        case "restart_unit": command = .restartUnit
        case "rewind":
            guard let unit = line.unit, (0..<EventFieldLimits.units).contains(unit) else { return .failure(ViewerRequestError("bad rewind")) }
            command = .rewind(unit: unit)
        case "skip_unit": command = .skipUnit
        case "evaluate":
            guard let images = line.images, images > 0, EventFieldLimits.images.contains(images) else {
                return .failure(ViewerRequestError("bad evaluate"))
            }
            command = .evaluate(images: images)
        case "start_search": command = .startSearch
        case "stop": return .failure(ViewerRequestError("an attached dashboard cannot stop the run"))
        // Files are written where the owner points, never where a viewer asks.
        case "export": return .failure(ViewerRequestError("an attached dashboard cannot write files on the host; run brecq export there"))
        default: return .failure(ViewerRequestError("unknown command"))
        }
        return .success(.command(command))
    }
}

public struct ViewerRequestError: Error, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The server's answer to a control request: a line that is not an event
/// (no `t`, no `type`), so the viewer tells it apart.
public struct ControlReply: Sendable, Codable, Equatable {
    /// "granted" or "refused".
    public var control: String
    public var reason: String?

    public var granted: Bool { control == "granted" }

    static func granted() -> ControlReply { ControlReply(control: "granted", reason: nil) }
    static func refused(_ reason: String) -> ControlReply { ControlReply(control: "refused", reason: reason) }

    func line() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// A reply line, or nil when the line is something else (an event).
    static func parse(_ bytes: Data) -> ControlReply? {
        guard bytes.starts(with: Data("{\"control\"".utf8)), bytes.count <= 4096,
              var reply = try? JSONDecoder().decode(ControlReply.self, from: bytes),
              reply.control == "granted" || reply.control == "refused" else { return nil }
        reply.reason = reply.reason.map { TerminalText.sanitized(String($0.prefix(200))) }
        return reply
    }
}
