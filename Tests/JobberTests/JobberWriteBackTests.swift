import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Write-back over real HTTP against the Jobber simulator, which keeps the invoice's notes,
/// so "exactly once" is checked by what Jobber ends up holding.
@Suite("Jobber write-back: exactly once")
struct JobberWriteBackTests {
    static let note = WriteBackNote(
        invoiceID: Seed.IDs.invoice(1042).value, reference: "P0000000000000A1", amount: Money(minorUnits: 46_000, currency: .usd),
        method: "card",
        card: "VISA •••• 4242", authCode: "123456", operatorName: "ada", time: "2026-11-22 15:04 UTC")

    @Test func theNoteSaysWhatStaffNeedAndCarriesTheMarker() {
        #expect(
            Self.note.message
                == "Paid $460.00 by card, VISA •••• 4242, auth 123456, taken by ada at 2026-11-22 15:04 UTC [posplus P0000000000000A1]")
    }

    @Test func aSecondAttemptFindsTheNoteInsteadOfWritingAnother() async throws {
        let jobber = try await SimulatedJobber.start()
        let writeBack = JobberWriteBack(client: jobber.graphQL)
        #expect(try await writeBack.write(Self.note) == .noteCreated(recordedPayment: false))
        #expect(try await writeBack.write(Self.note) == .alreadyWritten)
        let ours = jobber.simulator.notes(invoiceNumber: "1042").filter { $0.message.contains(Self.note.marker) }
        #expect(ours.count == 1)
        #expect(ours.first?.pinned == true)
        #expect(jobber.simulator.notes(invoiceNumber: "1042").count == 2)  // the seeded note is untouched
        await jobber.stop()
    }

    /// The marker is looked for on every page: a note written before 120 later ones (Jobber
    /// lists the newest first) is still found, and not written again.
    @Test func aNoteBuriedUnderManyLaterOnesIsStillFound() async throws {
        let jobber = try await SimulatedJobber.start()
        let invoice = jobber.simulator.plantInvoice(totalCents: 46_000, notes: [Self.note.message] + (1...120).map { "Visit \($0)" })
        var buried = Self.note
        buried.subject = .invoice(invoice.id)
        #expect(try await JobberWriteBack(client: jobber.graphQL).write(buried) == .alreadyWritten)
        #expect(jobber.simulator.notes(invoiceNumber: invoice.number).count == 121)
        await jobber.stop()
    }

    @Test func whereTheSchemaAllowsThePaymentIsRecordedTooAndIntrospectionIsCached() async throws {
        let jobber = try await SimulatedJobber.start { $0.offersPaymentRecords = true }
        let writeBack = JobberWriteBack(client: jobber.graphQL)
        var note = Self.note
        note.amount = Money(minorUnits: 230, currency: .usd)
        #expect(try await writeBack.write(note) == .noteCreated(recordedPayment: true))
        note.reference = "P0000000000000A2"
        #expect(try await writeBack.write(note) == .noteCreated(recordedPayment: true))
        let invoice = try await jobber.invoices.invoice(number: "1042")
        #expect(invoice.balance.minorUnits == 0)  // 4.60 − 2.30 − 2.30, recorded by Jobber
        #expect(invoice.status == .paid)
        #expect(jobber.simulator.stats.introspectionQueries == 1)
        await jobber.stop()
    }

    @Test func aRefundIsANoteNeverAPaymentRecord() async throws {
        let jobber = try await SimulatedJobber.start { $0.offersPaymentRecords = true }
        var refund = Self.note
        refund.action = .refund
        refund.amount = Money(minorUnits: 100, currency: .usd)
        #expect(refund.message.hasPrefix("Refunded $1.00 by card"))
        #expect(try await JobberWriteBack(client: jobber.graphQL).write(refund) == .noteCreated(recordedPayment: false))
        #expect(try await jobber.invoices.invoice(number: "1042").balance.minorUnits == 460)
        await jobber.stop()
    }

    @Test func withoutThatMutationOnlyTheNoteIsWritten() async throws {
        let jobber = try await SimulatedJobber.start()
        #expect(try await JobberWriteBack(client: jobber.graphQL).write(Self.note) == .noteCreated(recordedPayment: false))
        #expect(try await jobber.invoices.invoice(number: "1042").balance.minorUnits == 460)
        await jobber.stop()
    }

    @Test func userErrorsFailTheAttemptWithJobbersWords() async throws {
        let jobber = try await SimulatedJobber.start()
        var note = Self.note
        note.subject = .invoice("SW52b2ljZS85OTk5")  // no such invoice
        await #expect(throws: JobberError.graphQL(["Invoice not found"])) {
            try await JobberWriteBack(client: jobber.graphQL).write(note)
        }
        await jobber.stop()
    }
}
