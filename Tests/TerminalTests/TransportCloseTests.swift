import Glibc
import TestSupport
import Testing

@testable import Terminal

/// A transport is read on one thread and may be closed from another (a simulator stopping, a
/// supervisor giving up). Closing must end the reader's wait and must not free the descriptor
/// number while a call is still using it: the kernel would hand that number to the next socket,
/// and the old reader would take a stranger's bytes (this once ate an HTTP request in CI).
@Suite("Transports: closing from another thread")
struct TransportCloseTests {
    @Test func aDescriptorClosedDuringACallStaysOpenUntilTheCallReturns() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        Glibc.close(ends[1])
        let stream = FileDescriptorStream(descriptor: ends[0])
        try stream.use { descriptor in
            stream.close()
            #expect(fcntl(descriptor, F_GETFD) != -1, "still ours while in use")
        }
        #expect(throws: TransportError.closed) { try stream.use { _ in () } }
    }

    @Test func aPtyReadEndsWithClosedWhenAnotherThreadClosesIt() async throws {
        let pty = try PseudoTerminal()
        async let outcome = failure { _ = try pty.read(maximum: 16, deadline: .now + .seconds(60)) }
        pty.close()
        #expect(try await outcome == .closed)
    }

    @Test func aListenerWaitingToAcceptIsWokenByClose() async throws {
        let listener = try TCPListener()
        async let outcome = failure { _ = try listener.accept(deadline: .now + .seconds(60)) }
        listener.close()
        #expect(try await outcome == .closed)
    }

    @Test func aConnectionReadEndsWithClosedWhenAnotherThreadClosesIt() async throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPConnection(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        async let outcome = failure { _ = try client.read(maximum: 16, deadline: .now + .seconds(60)) }
        client.close()
        #expect(try await outcome == .closed)
    }

    /// What `body` throws, run on a thread of its own (it blocks until closed).
    private func failure(of body: @escaping @Sendable () throws -> Void) async throws -> TransportError? {
        try await onOwnThread { () -> TransportError? in
            do {
                try body()
                return nil
            } catch { return error as? TransportError }
        }
    }
}
