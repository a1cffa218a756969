import Foundation

/// Runs a descriptor's close exactly once, whichever thread asks first. Transports are read
/// and written by one thread at a time, but `close()` may come from another (a simulator
/// stopping, a supervisor giving up), so closing is the one place that needs a lock.
final class CloseOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false

    /// Returns true to the one caller that should close.
    func claim() -> Bool {
        lock.withLock {
            defer { closed = true }
            return !closed
        }
    }
}
