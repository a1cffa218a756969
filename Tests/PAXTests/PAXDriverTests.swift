import Foundation
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import TestSupport
import Testing

/// Every driver operation against the simulator, over a real pty, TCP and HTTP.
@Suite("PAX driver against the simulated terminal")
struct PAXDriverTests {
    @Test(arguments: SimulatorHarness.Link.allCases)
    func statusIdentifiesTheTerminal(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let status = try await h.driver.status()
        #expect(status.serialNumber == "SIM0001")
        #expect(status.model == "A35")
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aSaleIsApprovedWithMaskedCardAndReferences(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let reference = h.reference()
        let result = try await h.driver.sale(h.usd(46_000), reference: reference, invoice: "1042")
        #expect(result.outcome == .approved)
        #expect(result.approvedAmount == h.usd(46_000))
        #expect(result.card?.display == "VISA •••• 1111")
        #expect(result.entryMode == .chip)
        #expect(
            result.cardReading
                == CardReading(
                    entryMode: "chip", applicationLabel: "VISA CREDIT", applicationID: "A0000000031010",
                    terminalVerificationResults: "0000008000", transactionStatusInformation: "E800"))
        #expect(result.authCode != nil && result.hostReference != nil && result.terminalRecordNumber != nil)
        #expect(result.reference == reference)
        #expect(h.simulator.terminal.log.first?.invoiceNumber == "1042")
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func declinesAndPartialApprovalsFollowTheDemoAmounts(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let declined = try await h.driver.sale(h.usd(2001), reference: h.reference())
        #expect(declined.outcome == .declined(.host(hostCode: "05")), "\(h.loggedText)")
        let invalid = try await h.driver.sale(h.usd(2002), reference: h.reference())
        #expect(invalid.outcome == .declined(.invalidCard), "\(h.loggedText)")
        let partial = try await h.driver.sale(h.usd(3001), reference: h.reference())
        #expect(partial.outcome == .partiallyApproved(amountDue: h.usd(2001)))
        #expect(partial.approvedAmount == h.usd(1000))
        let five = try await h.driver.sale(h.usd(3002), reference: h.reference())
        #expect(five.outcome == .partiallyApproved(amountDue: h.usd(2502)))
        #expect(five.approvedAmount == h.usd(500))
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func refundsInPartsThenNoMore(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let sale = try await h.driver.sale(h.usd(10_000), reference: h.reference())
        let first = try await h.driver.refund(h.usd(2_500), of: sale.original, reference: h.reference())
        #expect(first.outcome == .approved)
        #expect(first.approvedAmount == h.usd(2_500))
        #expect(try await h.driver.refund(h.usd(7_500), of: sale.original, reference: h.reference()).outcome == .approved)
        #expect(
            try await h.driver.refund(h.usd(1), of: sale.original, reference: h.reference()).outcome == .declined(.host(hostCode: "13")))
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aVoidWorksOnceAndOnlyBeforeTheBatchCloses(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let sale = try await h.driver.sale(h.usd(7_500), reference: h.reference())
        let void = try await h.driver.void(sale.original, reference: h.reference())
        #expect(void.outcome == .approved)
        #expect(void.approvedAmount == h.usd(7_500))
        guard case .rejected = try await h.driver.void(sale.original, reference: h.reference()).outcome else {
            Issue.record("a second void must be refused")
            return
        }
        let settled = try await h.driver.sale(h.usd(1_000), reference: h.reference())
        let batch = try await h.driver.closeBatch()
        #expect(batch.count == 1)
        #expect(batch.total == h.usd(1_000))
        let late = try await h.driver.void(settled.original, reference: h.reference())
        guard case .rejected = late.outcome else {
            Issue.record("a void after batch close must be refused, got \(late.outcome)")
            return
        }
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func tokenizeThenChargeTheToken(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let saved = try await h.driver.tokenize(reference: h.reference())
        #expect(saved.outcome == .approved)
        let token = try #require(saved.token)
        let charged = try await h.driver.tokenSale(h.usd(12_000), token: token, reference: h.reference(), invoice: "1043")
        #expect(charged.outcome == .approved)
        #expect(charged.approvedAmount == h.usd(12_000))
        #expect(try await h.driver.tokenSale(h.usd(100), token: "NOSUCHTOKEN", reference: h.reference()).outcome != .approved)
        let withToken = try await h.driver.sale(h.usd(500), reference: h.reference(), requestToken: true)
        #expect(withToken.token != nil)
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func keyedAchAndDepositRequestsReachTheTerminal(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        #expect(try await h.driver.keyedSale(h.usd(8_000), mode: .telephone, reference: h.reference()).outcome == .approved)
        let ach = try await h.driver.achDebit(h.usd(50_000), reference: h.reference(), invoice: "1044")
        #expect(ach.outcome == .approved)
        #expect(ach.card == nil)
        let deposit = try await h.driver.deposit(h.usd(15_000), reference: h.reference(), invoice: "Q-77")
        #expect(deposit.outcome == .approved)
        #expect(h.simulator.terminal.log.map(\.command) == ["T00", "T12", "T00"])
        #expect(h.simulator.terminal.log.last?.invoiceNumber == "Q-77")
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func lookupFindsWhatTheTerminalLoggedAndNothingElse(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let reference = h.reference()
        _ = try await h.driver.sale(h.usd(4_200), reference: reference)
        guard case .found(let found) = try await h.driver.lookup(reference) else {
            Issue.record("the sale must be found")
            return
        }
        #expect(found.outcome == .approved)
        #expect(found.approvedAmount == h.usd(4_200))
        #expect(try await h.driver.lookup(h.reference()) == .notFound)
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func theSameReferenceTwiceIsADuplicateNotASecondCharge(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let reference = h.reference()
        _ = try await h.driver.sale(h.usd(9_900), reference: reference)
        let again = try await h.driver.sale(h.usd(9_900), reference: reference)
        #expect(again.outcome == .duplicate)
        #expect(h.simulator.terminal.log.count == 1)
    }

    @Test func resetReturnsToIdle() async throws {
        let h = try SimulatorHarness(.tcp)
        defer { h.stop() }
        try await h.driver.reset()
    }

    @Test func amountsATerminalCannotTakeAreRefusedBeforeSending() async throws {
        let h = try SimulatorHarness(.tcp)
        defer { h.stop() }
        await #expect(throws: TerminalError.self) {
            try await h.driver.sale(Money(minorUnits: 100, currency: .jpy), reference: h.reference())
        }
        await #expect(throws: TerminalError.self) { try await h.driver.sale(h.usd(1_000_000_000), reference: h.reference()) }
        #expect(h.simulator.terminal.log.isEmpty)
    }

    /// POSLink amounts are bare cents: a lookup or a batch total is read in the business's
    /// currency, not assumed to be dollars.
    @Test func lookupsAndBatchTotalsAreInTheBusinesssCurrency() async throws {
        let cad = try Currency(code: "CAD")
        let h = try SimulatorHarness(.tcp, currency: cad)
        defer { h.stop() }
        let reference = h.reference()
        let sale = try await h.driver.sale(Money(minorUnits: 1_234, currency: cad), reference: reference)
        #expect(sale.approvedAmount == Money(minorUnits: 1_234, currency: cad))
        guard case .found(let found) = try await h.driver.lookup(reference) else {
            Issue.record("the sale was not found by its reference")
            return
        }
        #expect(found.approvedAmount == Money(minorUnits: 1_234, currency: cad))
        #expect(try await h.driver.closeBatch().total == Money(minorUnits: 1_234, currency: cad))
    }

    @Test func nothingListeningMeansNotDelivered() async throws {
        let dead = UnlistenedPort()
        let h = try SimulatorHarness(.tcp)
        defer { h.stop() }
        let driver = PAXDriver(
            connection: .tcp(host: "127.0.0.1", port: dead.port), timeouts: SimulatorHarness.fast, logger: .init(label: "t"))
        await #expect(throws: TerminalError.self) { try await driver.sale(h.usd(100), reference: h.reference()) }
    }
}
