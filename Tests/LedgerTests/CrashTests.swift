import Foundation
import GRDB
import Ledger
import PosPlusCore
import TestSupport
import Testing

/// A child process writes payments as fast as it can and is SIGKILLed at a random moment,
/// several times over one ledger file, while this process writes to the same file too.
/// After each kill, everything the child reported as committed must be there, whole.
@Suite("Ledger: crash safety with a real child process")
struct CrashTests {
    static var writerBinary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        return candidates.map { $0.appendingPathComponent("ledger-crash-writer") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    @Test func everyCommittedPaymentSurvivesSIGKILL() async throws {
        try await onOwnThread { try runCrashRounds() }
    }

    /// The whole test, blocking by nature (pipe reads, kills, busy waits): run off the pool.
    func runCrashRounds() throws {
        let fixture = try LedgerFixture()
        var random = SystemRandomNumberGenerator()
        var reported: [Int64: Int64] = [:]  // payment id -> amount, as the child said it committed
        var ownWrites = 0

        for round in 0..<5 {
            let child = Process()
            child.executableURL = Self.writerBinary
            child.arguments = [fixture.path, String(UInt64.random(in: 1...UInt64.max >> 1, using: &random))]
            let output = Pipe()
            child.standardOutput = output
            try child.run()

            // Kill after a random number of commits: the child is somewhere inside its next
            // payment's transactions, at a point nobody chose.
            let killAfter = Int.random(in: 3...20, using: &random)
            var lines = LineReader(handle: output.fileHandleForReading)
            for _ in 0..<killAfter {
                guard let line = lines.next() else { break }
                let fields = line.split(separator: " ")
                #expect(fields.count == 4 && fields[0] == "committed", "round \(round): \(line)")
                if fields.count == 4, let id = Int64(fields[1]), let amount = Int64(fields[3]) { reported[id] = amount }
                // Meanwhile this process writes to the same file: the CLI while the service runs.
                _ = try fixture.approvedSale(77, key: "parent-\(round)-\(ownWrites)")
                ownWrites += 1
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)

            try checkLedger(at: fixture.path, reported: reported, parentWrites: ownWrites)
        }
        #expect(reported.count >= 5)
    }

    /// Reopens the file as a fresh process would and checks every invariant.
    func checkLedger(at path: String, reported: [Int64: Int64], parentWrites: Int) throws {
        let ledger = try Ledger.open(at: path, key: .forTests)
        #expect(try ledger.verifyAuditChain().isIntact)
        for (id, amount) in reported {
            let payment = try #require(try ledger.payment(id: id), "payment \(id) was reported committed but is missing")
            #expect(payment.state == .approved)
            #expect(payment.requestedMinor == amount && payment.capturedMinor == amount)
            #expect(payment.authCode != nil && payment.cardLast4 == "4242")
            #expect(try ledger.attempts(paymentID: id).map(\.outcome) == [.approved])
            #expect(try ledger.jobs().contains { $0.paymentID == id })
        }
        #expect(try ledger.payments(limit: 100_000).filter { $0.operator == "ada" && $0.state == .approved }.count == parentWrites)

        // No partial rows: every payment is in a state its own audit events explain.
        let raw = try DatabaseQueue(path: path)
        try raw.read { db in
            let orphans = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM payment p WHERE
                      NOT EXISTS (SELECT 1 FROM auditEvent e WHERE e.paymentID = p.id AND e.kind = 'payment.begin')
                      OR (p.state = 'approved' AND (p.capturedMinor != p.requestedMinor
                          OR NOT EXISTS (SELECT 1 FROM attempt a WHERE a.paymentID = p.id AND a.outcome = 'approved')
                          OR NOT EXISTS (SELECT 1 FROM auditEvent e WHERE e.paymentID = p.id AND e.kind = 'attempt.finish')))
                      OR (p.state = 'sent' AND NOT EXISTS (SELECT 1 FROM attempt a WHERE a.paymentID = p.id AND a.outcome = 'inFlight'))
                    """)
            #expect(orphans == 0)
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
            #expect(integrity == "ok")
        }
    }
}
