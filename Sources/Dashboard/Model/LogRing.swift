import Engine

public struct LogEntry: Sendable, Equatable {
    /// Session time in seconds (the event's time), or nil for notes made by the UI itself.
    public var time: Double?
    public var level: Message.Level
    public var text: String
    public init(time: Double?, level: Message.Level, text: String) {
        self.time = time; self.level = level; self.text = text
    }
}

/// The last `capacity` log entries; older ones fall off so a long run keeps constant memory.
public struct LogRing: Sendable, Equatable {
    public let capacity: Int
    private var storage: [LogEntry] = []
    private var start = 0

    public init(capacity: Int = 256) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { storage.count }

    /// Oldest first.
    public var entries: [LogEntry] {
        Array(storage[start...] + storage[..<start])
    }

    public mutating func append(_ entry: LogEntry) {
        if storage.count < capacity {
            storage.append(entry)
        } else {
            storage[start] = entry
            start = (start + 1) % capacity
        }
    }

    public static func == (a: LogRing, b: LogRing) -> Bool {
        a.capacity == b.capacity && a.entries == b.entries
    }
}
