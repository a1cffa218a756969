/// What a terminal lets the caller know while a request runs, for live status at the counter.
public enum TerminalProgress: Equatable, Sendable {
    /// The terminal has taken the request and works on it: for a sale it now asks for the card.
    case accepted
}

/// Where a driver reports ``TerminalProgress`` for the request the current task runs. A task
/// local, so the payment path can listen to one payment without the drivers, the supervisor
/// or the channel passing a callback through every signature; a driver that runs its I/O on
/// its own thread reads it before leaving the task.
///
/// The value is a struct, not a bare closure: a task local of optional function type crashed
/// release builds (Swift 6.2) in `swift_task_localValuePush` — the specialized `withValue` was
/// handed no type metadata for it. Found by the serve load benchmark; debug builds never showed it.
public enum TerminalProgressReport {
    @TaskLocal public static var handler: Handler?

    /// Told each ``TerminalProgress`` of the request the current task runs.
    public struct Handler: Sendable {
        public let report: @Sendable (TerminalProgress) -> Void
        public init(_ report: @escaping @Sendable (TerminalProgress) -> Void) { self.report = report }
    }
}
