import ArgumentParser

/// A failure the user can act on, printed by ArgumentParser as one
/// `Error: …` line with exit status 1 (never a crash or a stack trace).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
