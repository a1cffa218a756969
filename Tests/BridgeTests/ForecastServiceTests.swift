import Foundation
import Ledger
import PosPlusCore
import Receivables
import Testing

@testable import Bridge
@testable import Jobber

/// How the forecast service turns Jobber's invoices into the rules' input, and the seam payment
/// plans feed. Jobber's side is a fixed list here; the real query is tested against the
/// simulator (`JobberReceivablesTests`) and the whole path through `serve` (`APIForecastTests`).
@Suite struct ForecastServiceTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let now = Date(timeIntervalSince1970: 1_796_137_200)  // Tuesday 2026-12-01 15:00 UTC

    static func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    static func receivable(
        _ number: String, _ status: InvoiceStatus, total: Int64, balance: Int64, issuedDaysAgo: Int?, paid: [(Int64, String)] = []
    ) -> JobberReceivable {
        JobberReceivable(
            invoice: InvoiceSnapshot(
                id: "id-\(number)", number: number, status: status, total: usd(total), balance: usd(balance), clientID: "c-1",
                clientName: "Ada"), issuedDate: issuedDaysAgo.map { now.addingTimeInterval(-Double($0) * 86_400) },
            dueDate: issuedDaysAgo.map { now.addingTimeInterval(-Double($0 - 30) * 86_400) },
            paymentRecords: paid.enumerated().map {
                JobberPaymentRecord(id: "p\($0.offset)", amount: usd($0.element.0), entryDate: $0.element.1)
            })
    }

    static func service(_ receivables: [JobberReceivable]) throws -> ForecastService {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-forecast-\(UUID().uuidString)")
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger/ledger.sqlite").path, key: .forTests)
        return ForecastService(receivables: { _ in receivables }, ledger: ledger, timeZone: utc, currency: .usd, now: { now })
    }

    @Test func draftsAreSkippedBadDebtIsNotForecastAndAPaidInvoiceWithoutPaymentsIsLeftOut() async throws {
        let service = try Self.service([
            Self.receivable("1", .draft, total: 10_000, balance: 10_000, issuedDaysAgo: nil),
            Self.receivable("2", .badDebt, total: 20_000, balance: 20_000, issuedDaysAgo: 60),
            Self.receivable("3", .paid, total: 30_000, balance: 0, issuedDaysAgo: 50),  // marked received, no payment
            Self.receivable("4", .paid, total: 40_000, balance: 0, issuedDaysAgo: 40, paid: [(40_000, "2026-11-01")]),
            Self.receivable("5", .awaitingPayment, total: 50_000, balance: 50_000, issuedDaysAgo: 3),
        ])
        let report = try await service.report()
        #expect(report.invoicesRead == 5)
        #expect(report.leftOut == ["3"])
        #expect(
            report.outlook.forecast.expected.compactMap { entry -> String? in
                if case .invoice(_, let number) = entry.source { return number }
                return nil
            } == ["5"])
        // #4: issued Oct 22, paid Nov 1: 10 days; so #5 (issued Nov 28) is expected Dec 8.
        #expect(report.outlook.histories["c-1"]?.daysToPay == [10])
        #expect(report.outlook.forecast.expected.first?.dayOffset == 7)
        #expect(report.outlook.forecast.horizons.first?.expected == Self.usd(50_000))
    }

    @Test func scheduledInflowsFromPlansReplaceThePartOfTheBalanceTheyPay() async throws {
        var service = try Self.service([Self.receivable("5", .awaitingPayment, total: 50_000, balance: 50_000, issuedDaysAgo: 3)])
        service.scheduledInflows = { now in
            [
                ScheduledInflow(
                    date: now.addingTimeInterval(40 * 86_400), amount: Self.usd(20_000), kind: .planInstalment, reference: "plan 1 #2",
                    invoiceID: "id-5")
            ]
        }
        let report = try await service.report()
        #expect(report.scheduled.count == 1)
        #expect(report.outlook.forecast.horizons.map(\.expected.minorUnits) == [30_000, 50_000, 50_000])
    }

    @Test func moneyPosplusTookThatJobberDoesNotShowYetIsNotForecastOrChasedAgain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-forecast-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger/ledger.sqlite").path, key: .forTests, clock: { Self.now })
        // Jobber still shows #6 and #7 owed in full: posplus's payments are only notes there.
        let jobber = [
            Self.receivable("6", .pastDue, total: 50_000, balance: 50_000, issuedDaysAgo: 60),
            Self.receivable("7", .pastDue, total: 30_000, balance: 30_000, issuedDaysAgo: 60),
        ]
        for (number, minor) in [("6", Int64(50_000)), ("7", Int64(10_000))] {
            let payment = try ledger.begin(
                PaymentRequest(
                    operation: .sale, amount: Self.usd(minor), intent: minor == 50_000 ? .fullBalance : .partial, invoiceID: "id-\(number)",
                    invoiceNumber: number, clientID: "c-1", channel: "front-desk"), idempotencyKey: IdempotencyKey("sale-\(number)"),
                operator: "ada"
            ).payment
            let attempt = try ledger.startAttempt(
                paymentID: payment.id, reference: try PaymentReference("REF\(number)AAAAAAAAAAAA"), actor: "ada")
            _ = try ledger.finishAttempt(
                attempt.id, with: AttemptResult.approved(AttemptDetails(captured: Self.usd(minor), authCode: "OK")), actor: "ada")
        }
        let report = try await ForecastService(
            receivables: { _ in jobber }, ledger: ledger, timeZone: Self.utc, currency: .usd, now: { Self.now }
        )
        .report()
        #expect(report.outlook.chase.map(\.number) == ["7"], "#6 is paid in full at the counter")
        #expect(report.outlook.chase.first?.amount == Self.usd(20_000))
        #expect(report.outlook.forecast.horizons.last?.expected == Self.usd(20_000))
    }

    @Test func anUnreadableEntryDateIsAClearError() async throws {
        let service = try Self.service([
            Self.receivable("4", .paid, total: 40_000, balance: 0, issuedDaysAgo: 40, paid: [(40_000, "last week")])
        ])
        await #expect(throws: ForecastError.jobber("payment record p0 has entryDate last week, not a date")) { try await service.report() }
    }

    @Test func aBankDebitSettlesFourWeekdaysLater() {
        let days = LocalDays(timeZone: Self.utc)
        let friday = Date(timeIntervalSince1970: 1_796_400_000)  // 2026-12-04 16:00 UTC
        #expect(days.isoDate(ForecastService.businessDays(4, after: friday, days: days)) == "2026-12-10")
        #expect(days.isoDate(ForecastService.businessDays(4, after: Self.now, days: days)) == "2026-12-07")
    }
}
