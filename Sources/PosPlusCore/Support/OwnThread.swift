import Foundation

/// Runs blocking work (a libcurl transfer, a serial or socket exchange with deadlines) on a
/// thread of its own and awaits its result.
///
/// Not on a Dispatch queue: on Linux, Swift's concurrency runs on Dispatch's worker threads,
/// so work that blocks them starves every task in the process — an in-process HTTP server, a
/// simulator, the tests — until Dispatch grows its pool, about a second per thread. A thread
/// costs tens of microseconds to start; a starved server costs seconds.
public func onOwnThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = name
        thread.start()
    }
}
