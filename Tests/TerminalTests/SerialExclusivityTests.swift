import Glibc
import TestSupport
import Testing

@testable import Terminal

/// A serial port is exclusive while posplus has it open, and free again once it closed it.
///
/// TIOCEXCL is a flag on the tty, not on the descriptor: left set, it makes every later open()
/// by a normal user fail with EBUSY (`posplus charge --serial` after `terminals demo`). Root is
/// exempt, so the tests read the flag itself (TIOCGEXCL) instead of relying on EBUSY, and
/// catch the fault when run as root too.
@Suite("Serial port: exclusive while open, free once closed")
struct SerialExclusivityTests {
    /// TIOCGEXCL, `_IOR('T', 0x40, int)`: a function-like macro, so Swift does not import it.
    static let getExclusive = UInt(0x8004_5440)

    /// Whether the tty behind `descriptor` is in exclusive mode.
    static func isExclusive(_ descriptor: Int32) -> Bool {
        var flag: CInt = 0
        let status = ioctl(descriptor, getExclusive, &flag)
        #expect(status == 0, "TIOCGEXCL: \(String(cString: strerror(errno)))")
        return flag != 0
    }

    /// A second descriptor on the pty's device, opened before posplus takes it, to watch the flag.
    static func observer(of pty: PseudoTerminal) throws -> Int32 {
        let descriptor = open(pty.devicePath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        try #require(descriptor >= 0)
        return descriptor
    }

    @Test func closingThePortClearsExclusiveModeSoTheNextProgramCanOpenIt() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let observer = try Self.observer(of: pty)
        defer { Glibc.close(observer) }

        let first = try SerialPort(path: pty.devicePath)
        #expect(Self.isExclusive(observer), "exclusive while posplus has it open")
        first.close()
        #expect(!Self.isExclusive(observer), "free once posplus closed it")

        let second = try SerialPort(path: pty.devicePath)  // the next program, in sequence
        #expect(Self.isExclusive(observer))
        second.close()
        #expect(!Self.isExclusive(observer))
    }

    @Test func aPortClosedDuringAReadIsFreedWhenTheReadReturns() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let observer = try Self.observer(of: pty)
        defer { Glibc.close(observer) }
        let port = try SerialPort(path: pty.devicePath)

        async let read = onOwnThread { () -> TransportError? in
            do {
                _ = try port.read(maximum: 16, deadline: .now + .seconds(60))
                return nil
            } catch { return error as? TransportError }
        }
        port.close()
        #expect(try await read == .closed)
        #expect(!Self.isExclusive(observer))
    }

    @Test func aPortThatIsNoTerminalLeavesNothingBehind() {
        #expect(throws: TransportError.self) { try SerialPort(path: "/dev/null") }
    }
}
