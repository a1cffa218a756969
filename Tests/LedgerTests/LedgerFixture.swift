import Foundation
import Ledger
import PosPlusCore
import TestSupport

/// A ledger in a fresh temporary folder, with a clock the test moves by hand.
final class LedgerFixture: Sendable {
    let folder: URL
    let path: String
    let clock: TestClock
    let ledger: Ledger

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("ledger.sqlite").path
        clock = TestClock()
        ledger = try Ledger.open(at: path, key: .forTests, clock: { [clock] in clock.now })
    }

    /// A second, independent connection pool on the same file: another process, as far as
    /// SQLite's locking is concerned.
    func reopen() throws -> Ledger {
        try Ledger.open(at: path, key: .forTests, clock: { [clock] in clock.now })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    func sale(_ minor: Int64, key: String, invoice: String = "1042") -> PaymentRequest {
        PaymentRequest(
            operation: .sale, amount: usd(minor), invoiceID: "inv-\(invoice)", invoiceNumber: invoice, clientID: "c1", channel: "front-desk"
        )
    }

    let referenceGenerator = ReferenceSource()

    /// Begins, sends and approves a sale in full; returns it.
    func approvedSale(_ minor: Int64, key: String) throws -> PaymentRecord {
        let payment = try ledger.begin(sale(minor, key: key), idempotencyKey: IdempotencyKey(key), operator: "ada").payment
        let attempt = try ledger.startAttempt(paymentID: payment.id, reference: referenceGenerator.next(), actor: "ada")
        return try ledger.finishAttempt(
            attempt.id,
            with: .approved(AttemptDetails(captured: usd(minor), authCode: "OK1234", card: MaskedCard(brand: "VISA", last4: "4242"))),
            actor: "ada")
    }
}

/// A clock that only moves when told to.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_795_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// Distinct, valid references without randomness.
final class ReferenceSource: @unchecked Sendable {
    private let lock = NSLock()
    private var counter = 0

    func next() throws -> PaymentReference {
        let n = lock.withLock {
            counter += 1; return counter
        }
        return try PaymentReference(String(format: "T%015d", n))
    }
}
