import Foundation
import TestSupport

/// A clock whose `sleep` returns at once and moves time forward by the amount asked, recording
/// each wait: throttling and back-off are checked by what they *asked* to wait, with no real
/// waiting in the test.
public final class RecordingClock: Clock, @unchecked Sendable {
    public typealias Instant = TestInstant

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var waits: [Duration] = []

    public init() {}

    public var now: Instant { lock.withLock { current } }
    public var minimumResolution: Duration { .nanoseconds(1) }
    public var sleeps: [Duration] { lock.withLock { waits } }
    /// How far this clock has moved: the simulator's clock follows it, so a wait here is a
    /// wait there too (its cost bucket refills, its tokens age).
    public var elapsed: Duration { lock.withLock { current.offset } }

    /// Moves time forward without a sleep (a test's "an hour later").
    public func advance(by duration: Duration) { lock.withLock { current = current.advanced(by: duration) } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        lock.withLock {
            waits.append(current.duration(to: deadline))
            if current < deadline { current = deadline }
        }
    }
}
