import Bridge
import Foundation
import Gateway
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// A paid link leaves its note on the Jobber invoice: the write-back job is queued with the
/// money (a card at approval, a bank debit only once it settles), and the outbox worker pins
/// the note through the Jobber simulator over real HTTP, once.
@Suite("Payment links: Jobber write-back", .timeLimit(.minutes(1)))
struct LinkWriteBackTests {
    private func writeBackJobs(_ ledger: Ledger) throws -> [OutboxJobRecord] {
        try ledger.jobs().filter { $0.kind == JobberWriteBackJob.kind }
    }

    @Test func aCardPaymentThroughALinkPinsOneNoteOnTheInvoice() async throws {
        let jobber = try await SimulatedJobber.start()
        let h = try await StripeWebhookInboxTests.Harness.start()
        let (link, stripeLink) = try await h.link(cents: 460, invoiceID: Seed.IDs.invoice(1042).value)
        _ = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "card=4242424242424242")
        await h.processed(2)  // payment_intent.succeeded, checkout.session.completed

        let queued = try writeBackJobs(h.ledger)
        #expect(queued.count == 1)
        let note = try JobberWriteBackJob.note(fromPayload: try #require(queued.first).payload)
        #expect(note.reference == link.reference && note.amount == Money(minorUnits: 460, currency: .usd))
        #expect(note.method == "card (payment link)")

        let worker = OutboxWorker(
            ledger: h.ledger,
            handlers: [JobberWriteBackJob.kind: JobberWriteBackJob.handler(writeBack: JobberWriteBack(client: jobber.graphQL))],
            logger: Logger(label: "t"))
        #expect(try await worker.runDueJobs() == 1)
        let pinned = jobber.simulator.notes(invoiceNumber: "1042").filter { $0.message.contains("[posplus \(link.reference)]") }
        #expect(pinned.count == 1)
        #expect(pinned.first?.message.hasPrefix("Paid $4.60 by card (payment link)") == true)
        #expect(try writeBackJobs(h.ledger).map(\.state) == [.done])
        await h.stop()
        await jobber.stop()
    }

    @Test func aBankDebitIsWrittenBackOnlyOnceItSettles() async throws {
        let h = try await StripeWebhookInboxTests.Harness.start()
        let (_, stripeLink) = try await h.link(cents: 25_000)
        let session = try await h.control("/_sim/payment_links/\(stripeLink)/pay", "bank_account=000123456789")
        await h.processed(2)
        #expect(try writeBackJobs(h.ledger).isEmpty, "pending money is not written back")

        let intent = try #require(session["payment_intent"]?.string)
        _ = try await h.control("/_sim/payment_intents/\(intent)/settle", "outcome=succeeded")
        await h.processed(2)
        let queued = try writeBackJobs(h.ledger)
        #expect(queued.count == 1)
        #expect(try JobberWriteBackJob.note(fromPayload: try #require(queued.first).payload).method == "bank debit (payment link)")
        await h.stop()
    }

    /// The process died after starting the payment's attempt and before recording its outcome:
    /// processing the stored event again finishes the attempt instead of leaving it `sent`.
    @Test func anEventWhoseProcessingDiedHalfwayIsCompletedWhenProcessedAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-link-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger.open(at: folder.appendingPathComponent("ledger.sqlite").path, key: .forTests)
        let amount = Money(minorUnits: 12_345, currency: .usd)
        let reference = try PaymentReference("P00000000000RES")
        let link = try ledger.recordLink(
            NewPaymentLink(
                processor: "stripe", processorLinkID: "plink_resume", url: "https://pay.example/x", invoiceID: "i1042",
                invoiceNumber: "1042", amount: amount, reference: reference),
            actor: "test")
        let begun = try ledger.begin(
            PaymentRequest(
                operation: .sale, amount: amount, intent: .fullBalance, invoiceID: "i1042", invoiceNumber: "1042", channel: "link:stripe"),
            idempotencyKey: try IdempotencyKey("stripe-pi_resume"), operator: "stripe webhook"
        ).payment
        _ = try ledger.startAttempt(paymentID: begun.id, reference: reference, actor: "stripe webhook")

        let secret = "whsec_resume"
        let inbox = StripeWebhookInbox(
            ledger: ledger, verifier: StripeWebhookVerifier(endpointSecret: Secret(secret)), logger: Logger(label: "t"))
        let body = Array(
            #"{"id":"evt_resume","object":"event","type":"checkout.session.completed","created":1,"data":{"object":{"id":"cs_resume","object":"checkout.session","payment_link":"plink_resume","payment_intent":"pi_resume","payment_status":"paid","amount_total":12345}}}"#
                .utf8)
        _ = try inbox.receive(
            body: body, signature: StripeWebhookVerifier(endpointSecret: Secret(secret)).signatureHeader(for: body, at: Date()))
        #expect(try inbox.processPending() == 1)

        let payment = try #require(try ledger.payment(id: begun.id))
        #expect(payment.state == .approved && payment.capturedMinor == 12_345 && payment.processorReference == "pi_resume")
        #expect(try ledger.attempts(paymentID: begun.id).count == 1, "the started attempt was finished, not a second one made")
        #expect(try ledger.link(id: link.id)?.state == .paid)
        #expect(try writeBackJobs(ledger).count == 1)
        #expect(try ledger.verifyAuditChain().isIntact)
    }

    @Test func aWriteBackPayloadRoundTripsAndAMissingFieldIsNamed() throws {
        let note = WriteBackNote(
            invoiceID: "i1", reference: "P0000000000000AB", amount: Money(minorUnits: 123_456, currency: .usd), method: "card",
            card: "VISA 1111", authCode: "A1B2C3", operatorName: "ada", time: JobberWriteBackJob.noteTime(Date(timeIntervalSince1970: 0)))
        let job = JobberWriteBackJob.job(for: note)
        #expect(job.dedupeKey == "jobber.writeBack-P0000000000000AB")
        #expect(try JobberWriteBackJob.note(fromPayload: job.payload) == note)
        #expect(note.time == "1970-01-01T00:00:00Z")
        #expect(throws: LedgerError.invalidRequest("write-back job payload has no operator")) {
            try JobberWriteBackJob.note(fromPayload: job.payload.replacingOccurrences(of: "\"operator\"", with: "\"op\""))
        }
    }
}
