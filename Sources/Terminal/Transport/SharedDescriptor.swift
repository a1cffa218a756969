import Foundation
import Glibc

/// One open file descriptor shared by the thread that reads and writes it and whichever thread
/// closes it (a simulator stopping, a supervisor giving up).
///
/// Closing a descriptor another thread is polling is a classic bug: the kernel hands the freed
/// number to the next `socket()` or `open()`, and the old thread then reads a stranger's bytes.
/// So ``close()`` only *asks*: it wakes sockets with `shutdown`, refuses new work, and the
/// number is released when the last call in flight returns. Waits poll in short slices so a
/// pty or serial line notices the request too.
final class SharedDescriptor: @unchecked Sendable {
    private let lock = NSLock()
    private let descriptor: Int32
    private let isSocket: Bool
    private var callsInFlight = 0
    private var closeRequested = false
    private var released = false

    init(_ descriptor: Int32, isSocket: Bool) {
        self.descriptor = descriptor
        self.isSocket = isSocket
    }

    /// True once ``close()`` was called; work in flight should give up.
    var isClosing: Bool { lock.withLock { closeRequested } }

    /// Runs `body` with the descriptor, which stays open (and keeps its number) until it returns.
    func use<T>(_ body: (Int32) throws(TransportError) -> T) throws(TransportError) -> T {
        let admitted = lock.withLock {
            if closeRequested { return false }
            callsInFlight += 1
            return true
        }
        guard admitted else { throw .closed }
        defer { leave() }
        return try body(descriptor)
    }

    /// Asks for the descriptor to close; it closes now if idle, else when the last call returns.
    func close() {
        let closeNow = lock.withLock { () -> Bool in
            guard !closeRequested else { return false }
            closeRequested = true
            // Under the lock, so the number is still ours: wakes a thread in poll/accept on it.
            if isSocket { shutdown(descriptor, Int32(SHUT_RDWR)) }
            return callsInFlight == 0 && claimRelease()
        }
        if closeNow { release() }
    }

    private func leave() {
        let closeNow = lock.withLock { () -> Bool in
            callsInFlight -= 1
            return closeRequested && callsInFlight == 0 && claimRelease()
        }
        if closeNow { release() }
    }

    /// Only the one caller ``claimRelease()`` chose gets here, after every call in flight
    /// returned, so no call can find its number reused by another file.
    private func release() {
        Glibc.close(descriptor)
    }

    /// Called with the lock held: true to exactly one caller.
    private func claimRelease() -> Bool {
        defer { released = true }
        return !released
    }

    deinit { close() }
}
