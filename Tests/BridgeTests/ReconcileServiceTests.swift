import Bridge
import Foundation
import Gateway
import GatewaySimulator
import HTTPClient
import Jobber
import JobberSimulator
import Ledger
import Logging
import PAXSimulator
import PosPlusCore
import Reconcile
import Testing

/// Reconcile against real sides: the ledger file, the PAX simulator (looked up by reference),
/// the Stripe simulator (a link paid while its webhook never arrived) and the Jobber simulator
/// (a counter payment whose note never went). It finds exactly those two, `--apply` adopts the
/// link payment through the payment path and queues the note, and the next run is clean.
@Suite("Reconcile over the real ledger and simulators", .timeLimit(.minutes(1)))
struct ReconcileServiceTests {
    @Test func findsTheLostLinkPaymentAndTheMissingNoteFixesBothAndRunsCleanAfter() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let stripe = StripeSimulator()
        let server = try await stripe.start()
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let gateway = StripeGateway(
            client: StripeClient(configuration: StripeConfiguration(baseURL: server.baseURL, secretKey: Secret("sk_test_t")), http: http))
        let invoice = try await h.jobber.invoices.invoice(number: "1044")

        // A link paid at Stripe whose webhook never reached posplus.
        let reference = try PaymentReference("LNKRECON0001")
        let amount = Money(minorUnits: 2_000, currency: .usd)
        let created = try await gateway.createLink(
            PaymentLinkRequest(amount: amount, description: "Invoice #1044", invoiceID: invoice.id, reference: reference.rawValue),
            idempotencyKey: reference.rawValue)
        let link = try h.ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: created.id, url: created.url, invoiceID: invoice.id, invoiceNumber: "1044",
                amount: amount, reference: reference),
            actor: "test")
        _ = try await http.send(
            HTTPRequest(
                .post, server.baseURL + "/_sim/payment_links/\(created.id)/pay",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("card=4242424242424242".utf8)))

        // A counter payment recorded, its note queued but never sent.
        let counter = try await h.charge(
            .init(target: .invoiceNumber("1044"), amount: Money(minorUnits: 1_000, currency: .usd), intent: .partial), key: "recon-1")
        #expect(counter.state == .approved)

        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: gateway, jobber: h.jobber.invoices,
            channelThatTook: { _ in channel },
            processorChannels: ["stripe", "link:stripe"],
            linkCanceller: { id, actor in
                guard let link = try h.ledger.link(id: id) else { return }
                try await gateway.deactivateLink(link.processorLinkID, idempotencyKey: "cancel-\(link.reference)")
                _ = try h.ledger.closeLink(id: id, as: .cancelled, actor: actor)
            },
            logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let later = h.ledger.now().addingTimeInterval(2 * 3_600)  // past the write-back's grace

        let first = try await service.run(since: since, until: later, apply: false, actor: "office")
        let review = Dictionary(uniqueKeysWithValues: first.toReview.map { ($0.kind, $0) })
        #expect(Set(review.keys) == [.missingInLedger, .missingWriteBack], "\(first.items.map(\.key))")
        #expect(review[.missingInLedger]?.reference == reference.rawValue)
        #expect(review[.missingInLedger]?.difference == amount)
        #expect(first.totals.contains { $0.processor.grossMinor == 2_000 && $0.ledger.grossMinor == 1_000 })
        #expect(try h.ledger.payments(invoiceID: invoice.id).count == 1, "a run without --apply writes no payment")
        #expect(try h.ledger.reconcileItems().count == 2)

        let applied = try await service.run(since: since, until: later, apply: true, actor: "office")
        #expect(applied.applied.count == 2, "\(applied.applied)")
        let adopted = try #require(try h.ledger.payments(invoiceID: invoice.id).first { $0.channel == "link:stripe" })
        #expect(adopted.state == .approved && adopted.capturedMinor == 2_000)
        #expect(try h.ledger.link(id: link.id)?.state == .paid)
        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: h.jobber.graphQL))],
            logger: Logger(label: "t"))
        _ = try await worker.runDueJobs()

        let again = try await service.run(since: since, until: later, apply: true, actor: "office")
        #expect(again.toReview.isEmpty, "\(again.toReview.map(\.key))")
        #expect(again.applied.isEmpty, "a second run changes nothing")
        #expect(try h.ledger.reconcileItems().isEmpty)
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await server.stop()
        await h.stop()
    }

    /// The terminal side is the whole open batch, listed by record number: a sale the terminal
    /// approved that the ledger never recorded (as after a crash between the two) is found with
    /// no ledger payment to lead to it, and `--terminal` limits the run to one terminal.
    @Test func aTerminalsOpenBatchIsListedWholeAndASaleOnlyTheTerminalHasIsFound() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let counter = try await h.charge(
            .init(target: .invoiceNumber("1044"), amount: Money(minorUnits: 1_000, currency: .usd), intent: .partial), key: "list-1")
        #expect(counter.state == .approved)
        // Saving a card moves no money: nothing to compare.
        _ = try await h.service.saveCard(
            clientID: Seed.IDs.ada.value, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("list-save"))
        let stranger = try PaymentReference("STRANGER0001")
        let answer = try await h.channel.collect(
            ChannelRequest(operation: .sale, amount: Money(minorUnits: 4_200, currency: .usd), reference: stranger, invoiceNumber: nil))
        guard case .approved = answer.result else { throw GatewayChannelTests.FoundError.notApproved("\(answer)") }

        // The open batch also holds a sale from two days ago: an earlier run's window, not this one's.
        h.terminal.terminal.plantApprovedSale(reference: "OLDER0001", cents: 777, at: h.ledger.now().addingTimeInterval(-2 * 86_400))

        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: nil, jobber: h.jobber.invoices, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let until = h.ledger.now().addingTimeInterval(60)
        let report = try await service.run(since: since, until: until, apply: true, actor: "office")
        #expect(report.toReview.map(\.key) == ["missing-in-ledger:front-desk:STRANGER0001"], "\(report.items.map(\.key))")
        let earlier = try await service.run(since: since.addingTimeInterval(-3 * 86_400), until: until, apply: false, actor: "office")
        #expect(earlier.toReview.contains { $0.key == "missing-in-ledger:front-desk:OLDER0001" }, "found in the window it belongs to")
        #expect(report.toReview.first?.difference == Money(minorUnits: 4_200, currency: .usd))
        #expect(report.toReview.first?.action == nil, "only a person can tell which invoice it paid")
        let reference = try #require(try h.ledger.attempts(paymentID: counter.id).last?.reference)
        #expect(report.items.first { $0.reference == reference }?.kind == .expected, "matched on the terminal; its note is on its way")
        let terminalGross: Int64 = report.totals.reduce(0) { $0 + $1.terminals.grossMinor }
        #expect(terminalGross == 5_200, "the counter payment and the stranger")

        let other = try await service.run(since: since, until: until, apply: false, terminal: "back-office", actor: "office")
        #expect(other.notes.contains { $0.contains("no terminal named back-office") })
        await h.stop()
    }

    /// A counter day of partial and full sales, a refund, a void and a saved card matches the
    /// terminal's listing record for record; after the terminal closes a batch that holds a sale
    /// the ledger lacks, the close's totals (`B00`) stand beside the ledger's with the difference.
    @Test func aCounterDayMatchesTheListingAndABatchCloseShowsTheTerminalsTotals() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: .usd) }
        _ = try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(10_000), intent: .partial), key: "day-part")
        let whole = try await h.charge(.init(target: .invoiceNumber("1044")), key: "day-whole")
        _ = try await h.service.reverse(
            paymentID: whole.id, .refund(usd(1_000)), on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("day-r"))
        let voided = try await h.charge(.init(target: .invoiceNumber("1060")), key: "day-voided")
        _ = try await h.service.reverse(
            paymentID: voided.id, .void, on: h.channel, operator: "ada", idempotencyKey: try IdempotencyKey("day-v"))

        let channel = h.channel
        let service = ReconcileService<ContinuousClock>(
            ledger: h.ledger, gateway: nil, jobber: nil, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let day = try await service.run(since: since, until: h.ledger.now().addingTimeInterval(60), apply: false, actor: "office")
        #expect(day.toReview.isEmpty, "\(day.toReview.map(\.explanation))")

        _ = try await h.channel.collect(
            ChannelRequest(operation: .sale, amount: usd(4_200), reference: try PaymentReference("STRANGER0002"), invoiceNumber: nil))
        let close = try await BatchClosing(ledger: h.ledger, currency: .usd, logger: Logger(label: "t")).close(
            on: h.channel, operator: "ada")
        #expect(!close.matches)
        let after = try await service.run(since: since, until: h.ledger.now().addingTimeInterval(60), apply: false, actor: "office")
        let batch = try #require(after.toReview.first { $0.key.hasPrefix("amount-mismatch:batch front-desk") })
        #expect(batch.difference == usd(4_200))
        #expect(batch.explanation.contains("4 for") && batch.explanation.contains("3 for"))
        await h.stop()
    }

    /// Where Jobber takes payment records, posplus writes one with its marker in the details:
    /// reconcile knows it as posplus's own, and a record the office then types in beside it is
    /// the same money counted twice.
    @Test func aPaymentRecordPosplusWroteIsItsOwnAndOneTypedInBesideItIsADuplicate() async throws {
        // Jobber dates its records by the wall clock here, as the ledger does, so a record typed
        // in now falls inside the hand-entry window.
        let h = try await PaymentServiceTests.Harness.start(jobberOptions: {
            $0.offersPaymentRecords = true
            $0.now = { Date() }
        })
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: .usd) }
        let counter = try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(1_000), intent: .partial), key: "rec-1")
        let reference = try #require(try h.ledger.attempts(paymentID: counter.id).last?.reference)
        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: h.jobber.graphQL))],
            logger: Logger(label: "t"))
        _ = try await worker.runDueJobs()
        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: nil, jobber: h.jobber.invoices, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let until = h.ledger.now().addingTimeInterval(60)

        let written = try await service.run(since: since, until: until, apply: false, actor: "office")
        let item = try #require(written.items.first { $0.reference == reference })
        #expect(item.kind == .matched && item.records.contains { $0.side == .jobber && $0.detail == "posplus" }, "\(item)")

        let typed = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, h.jobber.baseURL + "/_admin/invoices/1043/payments", headers: [("Content-Type", "application/json")],
                body: Array(#"{"amount":"10.00"}"#.utf8)))
        #expect(typed.status == 200)
        let twice = try await service.run(since: since, until: until, apply: true, actor: "office")
        #expect(twice.toReview.map(\.key) == ["duplicate:\(reference)"], "\(twice.items.map(\.key))")
        #expect(twice.applied.isEmpty, "a duplicate is for a person")
        await h.stop()
    }

    /// Each side keeps its own watermark: a continuing run starts from the oldest, so a side that
    /// could not be read (Jobber down) holds the window back until it is read again.
    @Test func aSideThatCouldNotBeReadIsReadAgainFromItsOwnWatermark() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        _ = try await h.charge(
            .init(target: .invoiceNumber("1044"), amount: Money(minorUnits: 1_000, currency: .usd), intent: .partial), key: "mark-1")
        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: nil, jobber: h.jobber.invoices, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        // Whole seconds: the ledger keeps times to the millisecond.
        let first = Date(timeIntervalSince1970: h.ledger.now().addingTimeInterval(60).timeIntervalSince1970.rounded(.down))
        _ = try await service.run(since: nil, until: first, apply: false, actor: "office")
        for side in ["ledger", "processor", "terminals", "jobber"] {
            #expect(try h.ledger.reconcileWatermark(side: side) == first, "\(side)")
        }

        await h.jobber.stop()  // Jobber cannot be reached for the next run
        let second = first.addingTimeInterval(86_400)
        let down = try await service.run(since: nil, until: second, apply: false, actor: "office")
        #expect(down.notes.contains { $0.hasPrefix("Jobber not read") })
        #expect(down.since == first.addingTimeInterval(-2 * 86_400), "from the last run, less the look-back")
        #expect(try h.ledger.reconcileWatermark(side: "ledger") == second)
        #expect(try h.ledger.reconcileWatermark(side: "jobber") == first, "Jobber's window is read again next time")
        let third = try await service.run(since: nil, until: second.addingTimeInterval(86_400), apply: false, actor: "office")
        #expect(third.since == first.addingTimeInterval(-2 * 86_400), "held back by the side not read")
        await h.stop()
    }

    /// A deposit taken at the counter on a quote is checked against the quote's notes in Jobber:
    /// missing while its note has not gone, matched once it has.
    @Test func aDepositOnAQuoteIsCheckedAgainstTheQuotesNotes() async throws {
        let h = try await PaymentServiceTests.Harness.start()
        let deposit = try await h.service.takeDeposit(
            quoteID: Seed.IDs.quote(78).value, amount: Money(minorUnits: 10_000, currency: .usd), on: h.channel, operator: "ada",
            idempotencyKey: try IdempotencyKey("quote-dep"))
        let reference = try #require(try h.ledger.attempts(paymentID: deposit.id).last?.reference)
        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: nil, jobber: h.jobber.invoices, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let later = h.ledger.now().addingTimeInterval(2 * 3_600)  // past the write-back's grace

        let missing = try await service.run(since: since, until: later, apply: false, actor: "office")
        #expect(missing.toReview.map(\.key) == ["missing-write-back:\(reference)"], "\(missing.items.map(\.key))")
        #expect(missing.toReview.first?.explanation.contains("quote 78") == true)
        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: h.jobber.graphQL))],
            logger: Logger(label: "t"))
        _ = try await worker.runDueJobs()
        let written = try await service.run(since: since, until: later, apply: false, actor: "office")
        #expect(written.toReview.isEmpty, "\(written.toReview.map(\.explanation))")
        #expect(written.items.first { $0.reference == reference }?.kind == .matched)
        await h.stop()
    }

    /// The office types posplus's payment into Jobber by hand, so Jobber's balance already counts
    /// it; the ledger still subtracted it, leaving too little room to charge. Reconcile's
    /// `--apply` records that Jobber's record counts it, and the rest can be charged.
    @Test func aHandEntryRecognisedByReconcileGivesBackTheRoomToCharge() async throws {
        let h = try await PaymentServiceTests.Harness.start(jobberOptions: { $0.now = { Date() } })
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: .usd) }
        let first = try await h.charge(.init(target: .invoiceNumber("1043"), amount: usd(10_000), intent: .partial), key: "room-1")
        let typed = try await HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")).send(
            HTTPRequest(
                .post, h.jobber.baseURL + "/_admin/invoices/1043/payments", headers: [("Content-Type", "application/json")],
                body: Array(#"{"amount":"100.00"}"#.utf8)))
        #expect(typed.status == 200)
        // Jobber now says $1,134.56 is owed; the ledger still subtracts the $100.00 it took.
        await #expect(throws: LedgerError.self) {
            try await h.charge(
                .init(target: .invoiceNumber("1043"), amount: usd(113_456), intent: .partial, splitTender: true), key: "rest")
        }

        let channel = h.channel
        let service = ReconcileService(
            ledger: h.ledger, gateway: nil, jobber: h.jobber.invoices, channelThatTook: { _ in channel }, processorChannels: [],
            terminals: { [channel] }, linkCanceller: nil, logger: Logger(label: "t"))
        let since = h.ledger.now().addingTimeInterval(-3_600)
        let until = h.ledger.now().addingTimeInterval(2 * 3_600)
        let report = try await service.run(since: since, until: until, apply: true, actor: "office")
        let reference = try #require(try h.ledger.attempts(paymentID: first.id).last?.reference)
        #expect(report.items.first { $0.reference == reference }?.kind == .matched)
        #expect(report.applied.count == 1 && report.toReview.isEmpty, "\(report.applied) \(report.toReview.map(\.key))")
        #expect(try h.ledger.payment(id: first.id)?.jobberRecordID != nil)

        let rest = try await h.charge(
            .init(target: .invoiceNumber("1043"), amount: usd(113_456), intent: .partial, splitTender: true), key: "rest-2")
        #expect(rest.state == .approved, "the whole balance Jobber shows can be charged again")
        let again = try await service.run(since: since, until: until, apply: true, actor: "office")
        #expect(!again.applied.contains { $0.contains("counts payment \(first.id)") }, "recognised once")
        #expect(try h.ledger.verifyAuditChain().isIntact)
        await h.stop()
    }
}
