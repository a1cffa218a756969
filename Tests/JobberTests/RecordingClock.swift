import Foundation
import TestSupport

/// A clock whose `sleep` returns at once and moves time forward by the amount asked, recording
/// each wait: throttling and back-off are checked by what they *asked* to wait, with no real
/// waiting in the test.
final class RecordingClock: Clock, @unchecked Sendable {
    typealias Instant = TestInstant

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var waits: [Duration] = []

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }
    var sleeps: [Duration] { lock.withLock { waits } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        lock.withLock {
            waits.append(current.duration(to: deadline))
            if current < deadline { current = deadline }
        }
    }
}
