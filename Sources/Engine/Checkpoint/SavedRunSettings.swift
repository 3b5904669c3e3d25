import Foundation

/// The settings a checkpoint was made with, for a front end that resumes it:
/// flags the user leaves out take these values, flags the user gives must agree.
/// Only the digest and version are checked here; the session checks the rest
/// against the model before it uses anything.
public enum SavedRunSettings {
    public static func load(checkpointDirectory: String) throws -> RunConfiguration {
        try CheckpointStore(directory: checkpointDirectory).loadCheckpoint().configuration
    }
}
