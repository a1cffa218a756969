import Foundation
import PAX
import PAXSimulator
import PosPlusCore
import Terminal
import Testing

/// Each fault the simulator can inject, and the outcome the driver must report. The rule
/// under test: a request the terminal never accepted is `notDelivered` (safe to resend); one
/// it accepted whose answer was lost is `unknown`, resolved by lookup — never "failed".
@Suite("PAX driver under injected faults")
struct PAXFaultTests {
    static let streamLinks: [SimulatorHarness.Link] = [.pty, .tcp]

    @Test(arguments: streamLinks)
    func aGarbledReplyIsNAKedAndTheResendAccepted(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(.badLRC)
        #expect(try await h.driver.sale(h.usd(1_500), reference: h.reference()).outcome == .approved)
    }

    @Test(arguments: streamLinks)
    func aNAKStormMeansNotDeliveredAndNothingCharged(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.nakStorm)
        await #expect(throws: TerminalError.self) { try await h.driver.sale(h.usd(1_500), reference: h.reference()) }
        #expect(h.simulator.terminal.log.isEmpty)
    }

    /// No ACK to any copy: the terminal may have the request with its ACK lost, so the
    /// outcome is unknown — and the lookup then proves it never arrived.
    @Test(arguments: streamLinks)
    func noACKAfterThreeSendsIsUnknownUntilTheLookupSaysNotFound(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.noAck, count: 3)
        let reference = h.reference()
        guard case .unknown(let reason) = try await h.driver.sale(h.usd(1_500), reference: reference).outcome else {
            Issue.record("unanswered sends must not be reported as not delivered")
            return
        }
        #expect(reason.contains("3 sends"))
        #expect(try await h.driver.lookup(reference) == .notFound)
        #expect(h.simulator.terminal.log.isEmpty)
    }

    @Test(arguments: streamLinks)
    func anACKThenSilenceIsUnknownAndTheLookupAdoptsTheApproval(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.ackThenSilence)
        let reference = h.reference()
        let result = try await h.driver.sale(h.usd(2_500), reference: reference)
        guard case .unknown = result.outcome else {
            Issue.record("expected unknown, got \(result.outcome)")
            return
        }
        guard case .found(let found) = try await h.driver.lookup(reference) else {
            Issue.record("the terminal logged the sale; the lookup must find it")
            return
        }
        #expect(found.outcome == .approved)
        #expect(found.approvedAmount == h.usd(2_500))
    }

    @Test func aReplyAfterTheClientGaveUpIsALateSuccessFoundByLookup() async throws {
        let h = try SimulatorHarness(.tcp, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.lateReply)
        let reference = h.reference()
        guard case .unknown = try await h.driver.sale(h.usd(3_300), reference: reference).outcome else {
            Issue.record("a reply that never arrived in time must be unknown")
            return
        }
        guard case .found(let found) = try await h.driver.lookup(reference), found.outcome == .approved else {
            Issue.record("the late success must be found")
            return
        }
    }

    @Test func aDropBeforeTheReplyIsUnknownThenNotFoundSoANewReferenceIsSafe() async throws {
        let h = try SimulatorHarness(.tcp, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.dropBeforeReply)
        let reference = h.reference()
        guard case .unknown = try await h.driver.sale(h.usd(4_400), reference: reference).outcome else {
            Issue.record("a dropped connection after ACK must be unknown")
            return
        }
        #expect(try await h.driver.lookup(reference) == .notFound)
        #expect(try await h.driver.sale(h.usd(4_400), reference: h.reference()).outcome == .approved)
        #expect(h.simulator.terminal.log.count == 1)
    }

    @Test(arguments: streamLinks)
    func aDropAfterTheReplyStillDeliversTheApproval(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link, timeouts: SimulatorHarness.fast)
        defer { h.stop() }
        h.simulator.inject(.dropAfterReply)
        #expect(try await h.driver.sale(h.usd(5_500), reference: h.reference()).outcome == .approved)
    }

    @Test(
        arguments: [SimulatorFault.byteAtATime, .coalesced, .lrcControlByte],
        streamLinks)
    func awkwardByteStreamsStillDecode(fault: SimulatorFault, link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(fault)
        #expect(try await h.driver.sale(h.usd(6_600), reference: h.reference()).outcome == .approved)
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aBusyTerminalRejectsAndChargesNothing(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(.busy)
        guard case .rejected = try await h.driver.sale(h.usd(700), reference: h.reference()).outcome else {
            Issue.record("busy must be a rejection")
            return
        }
        #expect(h.simulator.terminal.log.isEmpty)
    }

    @Test(arguments: streamLinks)
    func aCancelWhileTheCustomerIsAtTheTerminalAbortsTheSale(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(.waitForCancel)
        let reference = h.reference()
        async let sale = h.driver.sale(h.usd(8_800), reference: reference)
        await h.simulator.waitUntilHolding()
        try await h.driver.cancel()
        #expect(try await sale.outcome == .aborted)
        #expect(try await h.driver.lookup(reference) == .notFound)
    }

    @Test func cancelIsRefusedInHTTPMode() async throws {
        let h = try SimulatorHarness(.http)
        defer { h.stop() }
        await #expect(throws: TerminalError.unsupported("cancel in HTTP mode")) { try await h.driver.cancel() }
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func aFullCardNumberFromTheTerminalIsCutToFourDigitsAndNeverLogged(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(.echoFullPAN)
        let result = try await h.driver.sale(h.usd(990), reference: h.reference())
        #expect(result.card?.last4 == "1111")
        #expect(!"\(result)".contains(h.simulator.terminal.testCardNumber))
        #expect(!h.loggedText.contains(h.simulator.terminal.testCardNumber))
        #expect(!h.loggedText.isEmpty)
    }

    @Test func garbageAnswersToAdministrativeCallsAreClearErrors() async throws {
        // A "terminal" that answers HTTP with something that is not POSLink.
        let listener = try TCPListener()
        defer { listener.close() }
        let server = Thread {
            guard let connection = try? listener.accept(deadline: .now + .seconds(5)) else { return }
            _ = try? connection.read(maximum: 4096, deadline: .now + .seconds(2))
            let body = Array("<html>router login</html>".utf8)
            try? connection.write(
                Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body, deadline: .now + .seconds(2))
            connection.close()
        }
        server.start()
        let driver = PAXDriver(
            connection: .http(host: "127.0.0.1", port: listener.port), timeouts: SimulatorHarness.fast, logger: .init(label: "t"))
        await #expect {
            try await driver.status()
        } throws: { "\($0)".contains("no POSLink frame") }
    }
}

@Suite("PAX driver: debit and multi-packet replies")
struct PAXDebitAndPacketTests {
    @Test(arguments: SimulatorHarness.Link.allCases)
    func aDebitSaleGoesAsT02(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let result = try await h.driver.debitSale(h.usd(3_500), reference: h.reference())
        #expect(result.outcome == .approved)
        #expect(result.card?.last4 == "1111")
        #expect(h.simulator.terminal.log.first?.command == "T02")
    }

    @Test(arguments: [SimulatorHarness.Link.pty, .tcp])
    func aReplyInTwoPacketsIsJoined(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        h.simulator.inject(.multiPacket)
        let result = try await h.driver.sale(h.usd(3_001), reference: h.reference())
        #expect(result.outcome == .partiallyApproved(amountDue: h.usd(2_001)))
        #expect(result.approvedAmount == h.usd(1_000))
        #expect(result.card?.last4 == "1111")
    }
}

@Suite("PAX driver: authorise, capture, verify")
struct PAXAuthCaptureTests {
    @Test(arguments: SimulatorHarness.Link.allCases)
    func anAuthorisationIsCapturedOnceForAtMostItsAmount(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let hold = try await h.driver.authorize(h.usd(50_000), reference: h.reference(), invoice: "1045")
        #expect(hold.outcome == .approved)
        #expect(
            try await h.driver.capture(h.usd(50_001), of: hold.original, reference: h.reference()).outcome
                == .declined(.host(hostCode: "13")))
        let taken = try await h.driver.capture(h.usd(42_000), of: hold.original, reference: h.reference())
        #expect(taken.outcome == .approved)
        #expect(taken.approvedAmount == h.usd(42_000))
        #expect(try await h.driver.capture(h.usd(1), of: hold.original, reference: h.reference()).outcome != .approved)
        #expect(h.simulator.terminal.log.map(\.type) == ["03", "04", "04", "04"])
        let batch = try await h.driver.closeBatch()
        #expect(batch.total == h.usd(42_000))  // the capture settles; the hold itself does not
    }

    @Test(arguments: SimulatorHarness.Link.allCases)
    func verifyChecksTheCardAndChargesNothing(link: SimulatorHarness.Link) async throws {
        let h = try SimulatorHarness(link)
        defer { h.stop() }
        let check = try await h.driver.verifyCard(reference: h.reference())
        #expect(check.outcome == .approved)
        #expect(check.card?.last4 == "1111")
        #expect(try await h.driver.closeBatch().count == 0)
    }

    @Test func aCaptureOfSomethingThatIsNotAnAuthorisationIsRefused() async throws {
        let h = try SimulatorHarness(.tcp)
        defer { h.stop() }
        let sale = try await h.driver.sale(h.usd(100), reference: h.reference())
        guard case .rejected = try await h.driver.capture(h.usd(100), of: sale.original, reference: h.reference()).outcome else {
            Issue.record("only an authorisation can be captured")
            return
        }
    }
}
