import Foundation

/// Runs blocking work (pipe reads, child processes, SQLite busy waits) on a thread of its
/// own and awaits it. Swift Testing runs tests on the small cooperative pool (one thread a
/// core here); a test that blocks one of those threads for seconds starves every async test
/// running beside it.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
