import Foundation

/// A wall clock for the ledger that moves only when a test says so.
public final class SteppingDate: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { now = start }

    public var date: Date { lock.withLock { now } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { now = now.addingTimeInterval(seconds) } }
}
