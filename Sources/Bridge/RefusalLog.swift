import Foundation
import Logging
import Synchronization

/// Logs refused webhooks at a bounded rate: per sender and reason, the first refusal in a
/// minute is logged at once and the rest are only counted; the count is logged when the minute
/// is over (at the next refusal of that kind, or at the next ``flush()``).
///
/// Why: every forged or malformed delivery used to write a line, so a burst of 2,000 forged
/// requests wrote 2,000 lines, enough to fill a disk or bury the one line that matters.
/// Refusals stay cheap to count; what is logged grows with the kinds of refusal and the
/// minutes, not with the requests.
///
/// `kind` must come from a short fixed list (an error's case, not its text), so the table of
/// counters stays small; `detail` (the full reason) is logged with the first refusal only.
/// The clock is injected so tests can end a minute without waiting for one.
public final class RefusalLog: Sendable {
    private struct Key: Hashable {
        var source: String
        var kind: String
    }

    private struct Window {
        var start: Date
        var suppressed = 0
    }

    private let logger: Logger
    private let window: TimeInterval
    private let now: @Sendable () -> Date
    private let windows = Mutex<[Key: Window]>([:])

    public init(logger: Logger, window: TimeInterval = 60, now: @escaping @Sendable () -> Date = Date.init) {
        self.logger = logger
        self.window = window.isFinite && window >= 1 ? window : 60
        self.now = now
    }

    /// Notes one refused delivery from `source` ("Stripe", "Jobber"), logging it only if it is the
    /// first of its kind this window.
    public func refused(_ source: String, kind: String, detail: String, bytes: Int) {
        let key = Key(source: source, kind: kind)
        let time = now()
        let (first, ended) = windows.withLock { windows -> (Bool, Int) in
            if var current = windows[key], time.timeIntervalSince(current.start) < window {
                current.suppressed += 1
                windows[key] = current
                return (false, 0)
            }
            let ended = windows[key]?.suppressed ?? 0
            windows[key] = Window(start: time)
            return (true, ended)
        }
        if ended > 0 { logSummary(key, count: ended) }
        if first {
            logger.warning(
                "rejected a \(source) webhook",
                metadata: [
                    "reason": "\(detail)", "kind": "\(kind)", "bytes": "\(bytes)", "note": "more of this kind this minute are only counted",
                ])
        }
    }

    /// Logs the counts of every window that has ended; the service calls it every few seconds so
    /// the last minute of a burst is reported even when no further refusal comes.
    public func flush() {
        let time = now()
        let ended = windows.withLock { windows -> [(Key, Int)] in
            let over = windows.filter { time.timeIntervalSince($0.value.start) >= window }
            for key in over.keys { windows[key] = nil }
            return over.filter { $0.value.suppressed > 0 }.map { ($0.key, $0.value.suppressed) }
        }
        for (key, count) in ended.sorted(by: { ($0.0.source, $0.0.kind) < ($1.0.source, $1.0.kind) }) { logSummary(key, count: count) }
    }

    private func logSummary(_ key: Key, count: Int) {
        logger.warning(
            "rejected \(count) more \(key.source) webhook\(count == 1 ? "" : "s") of the same kind within \(Int(window)) s",
            metadata: ["kind": "\(key.kind)", "count": "\(count)"])
    }
}
