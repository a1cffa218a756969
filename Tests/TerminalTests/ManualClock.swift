import Foundation
import TestSupport

/// A clock that moves only when a test calls ``advance(by:)``: sleepers whose deadline has
/// come are resumed, in order. Lets keepalive tests run without real waiting.
final class ManualClock: Clock, @unchecked Sendable {
    typealias Instant = TestInstant

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var sleepers: [(deadline: Instant, continuation: CheckedContinuation<Void, any Error>)] = []
    private let sleeperAdded = NSCondition()

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let ready = lock.withLock { () -> Bool in
                if deadline <= current { return true }
                sleepers.append((deadline, continuation))
                return false
            }
            sleeperAdded.lock()
            sleeperAdded.broadcast()
            sleeperAdded.unlock()
            if ready { continuation.resume() }
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    func advance(by duration: Duration) {
        let due = lock.withLock { () -> [CheckedContinuation<Void, any Error>] in
            current = current.advanced(by: duration)
            let ready = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return ready.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// Waits (on a helper thread, not a cooperative one) until `count` sleepers are waiting.
    func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.sleeperAdded.lock()
                while self.lock.withLock({ self.sleepers.count }) < count {
                    _ = self.sleeperAdded.wait(until: Date().addingTimeInterval(0.05))
                }
                self.sleeperAdded.unlock()
                done.resume()
            }
        }
    }
}
