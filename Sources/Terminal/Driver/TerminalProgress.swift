/// What a terminal lets the caller know while a request runs, for live status at the counter.
public enum TerminalProgress: Equatable, Sendable {
    /// The terminal has taken the request and works on it: for a sale it now asks for the card.
    case accepted
}

/// Where a driver reports ``TerminalProgress`` for the request the current task runs. A task
/// local, so the payment path can listen to one payment without the drivers, the supervisor
/// or the channel passing a callback through every signature; a driver that runs its I/O on
/// its own thread reads it before leaving the task.
public enum TerminalProgressReport {
    @TaskLocal public static var handler: (@Sendable (TerminalProgress) -> Void)?
}
