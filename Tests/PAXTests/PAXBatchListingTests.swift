import Foundation
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import Testing

/// Listing the open batch with R02, record by record, against the simulator over real
/// transports: what reconciliation reads from a terminal.
@Suite("PAX driver: listing the open batch")
struct PAXBatchListingTests {
    /// The simulator stamps every record with the time it took it, to the second, in UTC.
    static func stamped(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func everyRecordOfTheOpenBatchIsListedInOrderWithExactAmounts(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let first = try await h.driver.sale(h.usd(46_000), reference: h.reference(), invoice: "1042")
        let second = try await h.driver.sale(h.usd(12_345), reference: h.reference())
        let partial = try await h.driver.sale(h.usd(3_001), reference: h.reference())
        let declined = try await h.driver.sale(h.usd(2_001), reference: h.reference())
        let voided = try await h.driver.sale(h.usd(7_500), reference: h.reference())
        let void = try await h.driver.void(voided.original, reference: h.reference())
        let refund = try await h.driver.refund(h.usd(2_500), of: first.original, reference: h.reference())
        let debit = try await h.driver.debitSale(h.usd(3_500), reference: h.reference())
        let ach = try await h.driver.achDebit(h.usd(50_000), reference: h.reference())

        let listed = try await h.driver.batchRecords()

        let expected: [(TerminalResult, TerminalBatchRecord.Kind, approved: Int64, due: Int64?, voided: Bool)] = [
            (first, .sale, 46_000, nil, false), (second, .sale, 12_345, nil, false), (partial, .sale, 1_000, 2_001, false),
            (declined, .sale, 0, nil, false), (voided, .sale, 7_500, nil, true), (void, .void, 7_500, nil, false),
            (refund, .refund, 2_500, nil, false), (debit, .debitSale, 3_500, nil, false), (ach, .achDebit, 50_000, nil, false),
        ]
        #expect(listed.count == expected.count)
        let taken = h.simulator.terminal.log
        for (record, want) in zip(listed, expected) {
            #expect(record.reference == want.0.reference)
            #expect(record.terminalRecordNumber == want.0.terminalRecordNumber)
            #expect(record.kind == want.1)
            #expect(record.approvedAmount == h.usd(want.approved))
            #expect(record.amountDue == want.due.map(h.usd))
            #expect(record.voided == want.voided)
            #expect(record.approved == (want.0.outcome.moneyMoved))
            let log = taken.first { $0.reference == want.0.reference?.rawValue }
            #expect(record.recordedAt == log.map { Self.stamped($0.recordedAt) })
            #expect(record.authCode == want.0.authCode)
            #expect(record.hostReference == want.0.hostReference)
        }
        #expect(listed.map(\.terminalRecordNumber) == (1...9).map(String.init))
        #expect(listed[3].approved == false && listed[3].resultCode == "000100")
        #expect(listed[0].card?.display == "VISA •••• 1111")
        #expect(listed[8].card == nil)  // a bank debit has no card
        #expect(!"\(listed)".contains(h.simulator.terminal.testCardNumber))
    }

    /// Each R03 reply holds one record: thirty records take thirty exchanges, read in order.
    @Test(arguments: [SimulatorHarness.Link.pty, .tcp])
    func aBatchLongerThanOneReplyIsPagedToTheEnd(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        var references: [PaymentReference] = []
        for cents in 101...130 {
            let reference = h.reference()
            references.append(reference)
            _ = try await h.driver.sale(h.usd(Int64(cents)), reference: reference)
        }
        let listed = try await h.driver.batchRecords()
        #expect(listed.map(\.reference) == references)
        #expect(listed.map(\.approvedAmount) == (101...130).map { h.usd(Int64($0)) })
        #expect(listed.allSatisfy { $0.approved && !$0.voided && $0.kind == .sale })
    }

    @Test func anEmptyBatchListsNothing() async throws {
        let h = try SimulatorHarness(.tcp)
        defer { h.stop() }
        #expect(try await h.driver.batchRecords().isEmpty)
    }

    /// After B00 the closed batch's records are not listed; the next batch starts empty and
    /// holds only what came after. A lookup by reference still finds a settled sale.
    @Test(arguments: SimulatorHarness.Link.allCases)
    func aClosedBatchIsNoLongerListed(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let settled = h.reference()
        _ = try await h.driver.sale(h.usd(1_000), reference: settled)
        _ = try await h.driver.sale(h.usd(2_000), reference: h.reference())
        #expect(try await h.driver.batchRecords().count == 2)
        #expect(try await h.driver.closeBatch().count == 2)
        #expect(try await h.driver.batchRecords().isEmpty)
        let next = h.reference()
        _ = try await h.driver.sale(h.usd(3_000), reference: next)
        #expect(try await h.driver.batchRecords().map(\.reference) == [next])
        guard case .found = try await h.driver.lookup(settled) else {
            Issue.record("a settled sale is still found by its reference")
            return
        }
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aNonsenseRecordCountEndsInAnErrorNotAHang(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        _ = try await h.driver.sale(h.usd(1_000), reference: h.reference())
        h.simulator.inject(.nonsenseRecordCount)
        await #expect {
            try await h.driver.batchRecords()
        } throws: { error in
            guard case TerminalError.malformedReply(let reason) = error else { return false }
            return reason.contains("TotalRecord") && reason.contains("99999999")
        }
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aTerminalRepeatingARecordEndsInAnErrorNotAHang(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        _ = try await h.driver.sale(h.usd(1_000), reference: h.reference())
        _ = try await h.driver.sale(h.usd(2_000), reference: h.reference())
        h.simulator.inject(.repeatedRecord, count: 2)
        await #expect {
            try await h.driver.batchRecords()
        } throws: { error in
            guard case TerminalError.malformedReply(let reason) = error else { return false }
            return reason.contains("asked for record 1") && reason.contains("repeated its record 1")
        }
    }
}
