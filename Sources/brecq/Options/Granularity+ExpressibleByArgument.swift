import ArgumentParser
import Network

// Network stays free of ArgumentParser; the CLI teaches it to parse granularities.
extension Granularity: ExpressibleByArgument {}
