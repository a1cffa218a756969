import Foundation

/// A thread-safe count, for servers and closures in tests that must know "how many times".
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    /// Counts one more and returns the new count (1 for the first call).
    public func next() -> Int {
        lock.withLock {
            count += 1; return count
        }
    }
    public var value: Int { lock.withLock { count } }
    public func reset() { lock.withLock { count = 0 } }
}
