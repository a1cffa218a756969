import Foundation
import Synchronization

/// Live progress of the payments this process is making, by idempotency key: the payment
/// service publishes, each page that watches a charge subscribes. A subscriber that arrives
/// late (a reload) first gets what has happened so far. In memory only, and bounded: progress
/// is a view, the ledger is the record.
public final class PaymentProgressHub: Sendable {
    private struct Entry {
        var events: [PaymentProgress] = []
        var watchers: [UUID: AsyncStream<PaymentProgress>.Continuation] = [:]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys in the order they were first seen, to drop the oldest finished ones.
        var order: [String] = []
    }

    private let state = Mutex(State())
    /// How many payments' progress is kept for late subscribers.
    public let capacity: Int

    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
    }

    public func publish(_ progress: PaymentProgress) {
        let watchers = state.withLock { state -> [AsyncStream<PaymentProgress>.Continuation] in
            let key = progress.idempotencyKey
            Self.track(key, in: &state, capacity: capacity)
            state.entries[key]?.events.append(progress)
            return state.entries[key].map { Array($0.watchers.values) } ?? []
        }
        for watcher in watchers {
            watcher.yield(progress)
            if progress.isLast { watcher.finish() }
        }
    }

    /// Progress under `key`: what has happened so far, then each step as it comes, ending after
    /// the answer (or at once, if it has already come).
    public func progress(of key: String) -> AsyncStream<PaymentProgress> {
        let (stream, continuation) = AsyncStream<PaymentProgress>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        let past = state.withLock { state -> [PaymentProgress] in
            let past = state.entries[key]?.events ?? []
            if past.last?.isLast != true {
                Self.track(key, in: &state, capacity: capacity)
                state.entries[key]?.watchers[id] = continuation
            }
            return past
        }
        for event in past { continuation.yield(event) }
        if past.last?.isLast == true { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.entries[key]?.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// What has happened so far under `key` (empty for one this process never saw, or long ago).
    public func history(of key: String) -> [PaymentProgress] {
        state.withLock { $0.entries[key]?.events ?? [] }
    }

    /// Makes sure `key` has an entry, remembering when it was first seen; a new key may push
    /// out the oldest ones nobody watches, never itself.
    private static func track(_ key: String, in state: inout State, capacity: Int) {
        guard state.entries[key] == nil else { return }
        state.entries[key] = Entry()
        state.order.append(key)
        evict(&state, capacity: capacity, keeping: key)
    }

    /// Drops the oldest keys nobody watches (but `kept`) until at most `capacity` are kept.
    private static func evict(_ state: inout State, capacity: Int, keeping kept: String) {
        var index = 0
        while state.order.count > capacity, index < state.order.count {
            let key = state.order[index]
            if key != kept, state.entries[key]?.watchers.isEmpty ?? true {
                state.entries[key] = nil
                state.order.remove(at: index)
            } else {
                index += 1
            }
        }
    }
}
