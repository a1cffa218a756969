import Foundation

/// A clock that moves only when a test calls ``advance(by:)``: sleepers whose deadline has
/// come are resumed, in order of deadline. Keepalives, retry timers and serve's periodic
/// services run on it without real waiting.
///
/// A cancelled sleep ends at once with `CancellationError`, as on a real clock, so a timer that
/// is replaced (or a service shut down) never fires later and never counts as a sleeper.
public final class ManualClock: Clock, @unchecked Sendable {
    public typealias Instant = TestInstant

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSCondition()
    private var current = Instant(offset: .zero)
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0

    public init() {}

    public var now: Instant { lock.withLock { current } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = lock.withLock { () -> UInt64 in
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = lock.withLock { () -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= current { return .success(()) }
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    lock.broadcast()
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let cancelled = lock.withLock { () -> Sleeper? in
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by duration: Duration) {
        let due = lock.withLock { () -> [Sleeper] in
            current = current.advanced(by: duration)
            let ready = sleepers.filter { $0.deadline <= current }.sorted { $0.deadline < $1.deadline }
            sleepers.removeAll { $0.deadline <= current }
            return ready
        }
        due.forEach { $0.continuation.resume() }
    }

    /// How many sleep now.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// Waits (on a helper thread, not a cooperative one) until at least `count` sleep.
    public func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.lock.lock()
                while self.sleepers.count < count { self.lock.wait() }
                self.lock.unlock()
                done.resume()
            }
        }
    }
}
