import Foundation
import PAX

/// The brain of the simulated PAX terminal: a transaction log, tokens, a batch, demo-mode
/// amounts, duplicate detection by ECR reference — everything the driver can observe.
/// Transport-free: front ends feed it request frames and send back what it returns.
///
/// Demo amounts mirror a real terminal in demo mode (poslink.md §1.13), so tests written here
/// also run against hardware: $20.01 declines, $20.02 is an invalid card, $30.01 approves
/// $10.00 of it and $30.02 approves $5.00.
public final class SimulatedTerminal: @unchecked Sendable {
    /// One line of the terminal's own log: what R02 reports.
    public struct Record: Equatable, Sendable {
        public var recordNumber: Int
        public var reference: String
        public var command: String
        public var type: String
        public var requestedCents: Int64
        public var approvedCents: Int64
        public var resultCode: String
        public var hostCode: String
        public var hostMessage: String
        public var authCode: String
        public var hostReference: String
        public var token: String
        public var batch: Int
        public var voided = false
        public var refundedCents: Int64 = 0
        public var invoiceNumber: String
        /// When the terminal took it: reports stamp records with it, as a real terminal does.
        public var recordedAt = Date()
    }

    let lock = NSLock()
    var records: [Record] = []
    var tokens: [String: String] = [:]  // token -> last four
    var batch = 1
    var nextRecordNumber = 1
    var cancelRequested = false
    /// Signalled when a `waitForCancel` transaction starts being held.
    let holding = NSCondition()
    /// How many transactions have been held so far (guarded by `holding`).
    var holdCount = 0
    var serial = 0
    var initializes = 0
    var handled = 0
    /// How many A00 (status / keepalive) requests arrived.
    public var initializeCount: Int { lock.withLock { initializes } }
    /// How many requests of any kind it has answered (a load test's terminal time is the card
    /// time of each).
    public var requestCount: Int { lock.withLock { handled } }
    /// The test card the simulated customer presents (a published test number).
    public let testCardNumber = "4111111111111111"

    public init() {}

    /// Everything logged so far (for tests and the demo).
    public var log: [Record] { lock.withLock { records } }

    /// Handles one request and returns the reply, or nil for requests answered with EOT
    /// only (A14 cancel).
    public func handle(_ request: POSLinkFrame, fault: SimulatorFault? = nil) -> POSLinkFrame? {
        lock.withLock { handled += 1 }
        let command = request.value(0)
        let version = request.value(1)
        guard let known = POSLinkRequest.Command(rawValue: command) else {
            return reply(to: command, version: version, code: "100027", text: "UNSUPPORT COMMAND")
        }
        guard !version.isEmpty else {
            return reply(to: command, version: version, code: "100003", text: "NO PROTOCOL VERSION")
        }
        if fault == .busy { return reply(to: command, version: version, code: "100503", text: "PED BUSY") }
        switch known {
        case .initialize:
            lock.withLock { initializes += 1 }
            return reply(to: command, version: version, code: "000000", text: "OK", groups: ["SIM0001", "A35", "posplus-sim 1"])
        case .reset:
            return reply(to: command, version: version, code: "000000", text: "OK")
        case .cancel:
            lock.withLock { cancelRequested = true }
            return nil
        case .credit, .debit, .check:
            return transaction(request, command: known, version: version, fault: fault)
        case .localDetailReport:
            return report(request, version: version, fault: fault)
        case .batchClose:
            return closeBatch(version: version)
        }
    }

    /// Asks a transaction held by `waitForCancel` to stop, as an A14 from another link would.
    public func requestCancel() { lock.withLock { cancelRequested = true } }

    /// Consumes a pending cancel request.
    func takeCancel() -> Bool {
        lock.withLock {
            defer { cancelRequested = false }
            return cancelRequested
        }
    }

    func clearCancel() { lock.withLock { cancelRequested = false } }

    /// Marks that a transaction is now held waiting for a cancel.
    func didStartHolding() {
        holding.lock()
        holdCount += 1
        holding.broadcast()
        holding.unlock()
    }

    /// A reply frame: `status FS command+1 FS version FS code FS text FS groups…`.
    func reply(to command: String, version: String, code: String, text: String, groups: [String] = []) -> POSLinkFrame {
        let replyID = POSLinkRequest.Command(rawValue: command)?.replyID ?? command
        return POSLinkFrame(fields: ["0", replyID, version.isEmpty ? "1.28" : version, code, text] + groups)
    }

    /// Pads a reply's ExtData so its LRC equals `target` (to exercise LRC == control byte).
    public static func padded(_ frame: POSLinkFrame, lrc target: UInt8) -> POSLinkFrame {
        let printable = (0x21...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
        for first in printable {
            for second in printable where first != "=" && second != "=" {
                var candidate = frame
                candidate.fields.append("PAD=" + String(first) + String(second))
                if candidate.bytes.last == target { return candidate }
            }
        }
        return frame  // targets of 0x80 and above cannot be reached with ASCII padding
    }
}
