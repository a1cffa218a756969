import Foundation
import Glibc
import TestSupport
import Testing

@testable import Terminal

/// A serial port is exclusive while posplus has it open, and free again once it is closed —
/// however the process holding it ended.
///
/// The lock is `flock`, which root does not bypass, so these tests catch the fault when run as
/// root too. (The TIOCEXCL flag used before outlived the process that set it: after a crash the
/// terminal refused every program but root's.)
@Suite("Serial port: exclusive while open, free once closed")
struct SerialExclusivityTests {
    /// Whether another open file on the pty's device could lock it now (and lets go at once).
    static func isFree(_ pty: PseudoTerminal) throws -> Bool {
        let descriptor = open(pty.devicePath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        try #require(descriptor >= 0)
        defer { Glibc.close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    @Test func closingThePortFreesItForTheNextProgram() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let first = try SerialPort(path: pty.devicePath)
        #expect(try !Self.isFree(pty), "exclusive while posplus has it open")
        #expect(throws: TransportError.openFailed("\(pty.devicePath): another posplus process is using it")) {
            try SerialPort(path: pty.devicePath)
        }
        first.close()
        #expect(try Self.isFree(pty), "free once posplus closed it")
        let second = try SerialPort(path: pty.devicePath)  // the next program, in sequence
        #expect(try !Self.isFree(pty))
        second.close()
    }

    /// A process killed while it holds the port (kill -9 mid-charge) leaves it free: the next
    /// one — recovery, asking the terminal what happened — can open it.
    @Test func aProcessKilledHoldingThePortLeavesItFree() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let holder = Process()
        // One process (the shell becomes `sleep`), holding the port's lock as posplus would.
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>\"$0\"; flock --exclusive 9; echo locked; exec sleep 600", pty.devicePath]
        let said = Pipe()
        holder.standardOutput = said
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        // It speaks only once it holds the lock.
        #expect(String(decoding: said.fileHandleForReading.readData(ofLength: 7), as: UTF8.self) == "locked\n")
        #expect(try !Self.isFree(pty))
        #expect(throws: TransportError.self) { try SerialPort(path: pty.devicePath) }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let port = try SerialPort(path: pty.devicePath)
        port.close()
    }

    @Test func aPortClosedDuringAReadIsFreedWhenTheReadReturns() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.devicePath)

        async let read = onOwnThread { () -> TransportError? in
            do {
                _ = try port.read(maximum: 16, deadline: .now + .seconds(60))
                return nil
            } catch { return error as? TransportError }
        }
        port.close()
        #expect(try await read == .closed)
        #expect(try Self.isFree(pty))
    }

    @Test func aPortThatIsNoTerminalLeavesNothingBehind() {
        #expect(throws: TransportError.self) { try SerialPort(path: "/dev/null") }
    }
}
