import Foundation
import PosPlusCore
import Reconcile
import Testing

/// A generated month with one planted difference of every class on each side: reconcile finds
/// exactly the planted ones (nothing missed, nothing invented) and matches everything else.
@Suite("Reconcile: planted differences in a generated month")
struct ReconcilerTests {
    static let usd = Currency.usd

    @Test func aWorldWhereEverySideAgreesHasNothingToReview() {
        let world = ReconcileWorld(count: 300)
        let items = world.reconcile()
        #expect(items.count == 300)
        #expect(items.allSatisfy { $0.kind == .matched })
    }

    @Test func everyPlantedDifferenceIsFoundAndNothingElse() throws {
        var world = ReconcileWorld(count: 200)
        let now = world.now
        // Stripe took money posplus never recorded (a crash between approval and recording).
        world.sides.ledger.removeAll { $0.reference == "R00001" }
        // Recorded and written back as far as the ledger knows, but no note in Jobber.
        world.invoice("inv-3") { $0.noteReferences = [] }
        // A write-back queued ten minutes ago: not missing yet.
        world.ledger("R00005") {
            $0.writeBackDone = false
            $0.date = now.addingTimeInterval(-600)
        }
        world.invoice("inv-5") { $0.noteReferences = [] }
        // Posplus says approved; Stripe has nothing.
        world.sides.processor.removeAll { $0.reference == "R00007" }
        // Stripe captured a dollar more than the ledger says.
        world.processor("R00009") { $0.captured = Money(minorUnits: $0.captured.minorUnits + 100, currency: Self.usd) }
        world.processor("R00011") { $0.captured = Money(minorUnits: $0.captured.minorUnits, currency: .cad) }
        // Two PaymentIntents carry one reference.
        var twin = try #require(world.sides.processor.first { $0.reference == "R00013" })
        twin.id = "pi_twin"
        world.sides.processor.append(twin)
        // Refunded in Stripe's dashboard.
        world.processor("R00015") { $0.refunded = Money(minorUnits: 250, currency: Self.usd) }
        // A link still open on an invoice the office marked paid.
        world.sides.openLinks = [
            OpenLink(id: 7, processorLinkID: "plink_7", invoiceID: "inv-17", amount: Money(minorUnits: 900, currency: Self.usd))
        ]
        // The office typed the payment into Jobber by hand and posplus's note never went: the same money.
        let r19 = try #require(world.sides.ledger.first { $0.reference == "R00019" })
        world.invoice("inv-19") {
            $0.noteReferences = []
            $0.records = [.init(id: "pr-19", amount: r19.captured, date: r19.date.addingTimeInterval(86_400), reference: nil)]
        }
        // Posplus recorded it in Jobber and the office typed it in too.
        let r21 = try #require(world.sides.ledger.first { $0.reference == "R00021" })
        world.invoice("inv-21") {
            $0.records = [
                .init(id: "pr-21a", amount: r21.captured, date: r21.date, reference: "R00021"),
                .init(id: "pr-21b", amount: r21.captured, date: r21.date, reference: nil),
            ]
        }
        // Terminals: one never approved, one approved another amount, one approved a stranger.
        world.sides.terminals?.removeAll { $0.reference == "R00002" }
        world.sides.terminals = world.sides.terminals?.map {
            var record = $0
            if record.reference == "R00004" { record.amount = Money(minorUnits: record.amount.minorUnits - 1, currency: Self.usd) }
            return record
        }
        world.sides.terminals?.append(
            TerminalRecord(
                terminal: "desk-1", reference: "R99999", approved: true, amount: Money(minorUnits: 4_200, currency: Self.usd), date: nil))
        // A bank debit taken yesterday is still clearing.
        world.ledger("R00006") {
            $0.standing = .clearing
            $0.date = now.addingTimeInterval(-86_400)
        }

        let items = world.reconcile()
        let found = Dictionary(uniqueKeysWithValues: items.filter { $0.kind != .matched }.map { ($0.key, $0) })
        #expect(
            Set(found.keys) == [
                "missing-in-ledger:pi_1", "missing-write-back:R00003", "expected:R00005", "missing-at-processor:R00007",
                "amount-mismatch:R00009", "currency-mismatch:R00011", "duplicate:R00013", "reversed-outside:R00015",
                "paid-elsewhere:link-7", "duplicate:R00021", "missing-at-processor:R00002", "amount-mismatch:R00004",
                "missing-in-ledger:desk-1:R99999", "expected:R00006",
            ])
        #expect(found["missing-in-ledger:pi_1"]?.action == .adopt(processorPaymentID: "pi_1"))
        #expect(found["missing-write-back:R00003"]?.action == .queueWriteBack(paymentID: 3))
        #expect(found["amount-mismatch:R00009"]?.difference == Money(minorUnits: 100, currency: Self.usd))
        #expect(found["amount-mismatch:R00004"]?.difference == Money(minorUnits: -1, currency: Self.usd))
        #expect(found["reversed-outside:R00015"]?.difference == Money(minorUnits: 250, currency: Self.usd))
        #expect(found["paid-elsewhere:link-7"]?.action == .deactivateLink(linkID: 7))
        #expect(found["duplicate:R00013"]?.action == nil, "a duplicate is never refunded automatically")
        #expect(found["missing-at-processor:R00007"]?.action == nil, "never auto-fixed")
        let hand = try #require(items.first { $0.reference == "R00019" })
        #expect(hand.kind == .matched && hand.records.contains { $0.id == "pr-19" })
        // Every ledger payment is accounted for exactly once (R00001 was removed from it).
        let perReference = Dictionary(grouping: items.compactMap(\.reference)) { $0 }
        #expect(perReference.filter { $0.key.hasPrefix("R0") && $0.value.count > 1 }.isEmpty)
        #expect(items.count == 199 + 3)  // 199 ledger payments + missing pi_1, link 7, terminal stranger
    }

    @Test func aHandEntryWithTwoCandidatesIsNeverMatchedByAmountAlone() throws {
        var world = ReconcileWorld(count: 4)
        let payment = try #require(world.sides.ledger.first { $0.reference == "R00001" })
        world.invoice("inv-1") {
            $0.noteReferences = []
            $0.records = [
                .init(id: "a", amount: payment.captured, date: payment.date, reference: nil),
                .init(id: "b", amount: payment.captured, date: payment.date.addingTimeInterval(3_600), reference: nil),
            ]
        }
        let item = try #require(world.reconcile().first { $0.reference == "R00001" })
        #expect(item.kind == .missingWriteBack)
    }

    @Test func aHandEntryOutsideTheWindowOrOfAnotherAmountIsNotTheSameMoney() throws {
        var world = ReconcileWorld(count: 2)
        let payment = try #require(world.sides.ledger.first { $0.reference == "R00001" })
        world.invoice("inv-1") {
            $0.noteReferences = []
            $0.records = [
                .init(id: "late", amount: payment.captured, date: payment.date.addingTimeInterval(5 * 86_400), reference: nil),
                .init(
                    id: "other", amount: Money(minorUnits: payment.captured.minorUnits + 1, currency: .usd), date: payment.date,
                    reference: nil),
            ]
        }
        #expect(world.reconcile().first { $0.reference == "R00001" }?.kind == .missingWriteBack)
    }

    @Test func aVoidedPaymentThatTheProcessorKeptIsFlagged() throws {
        var world = ReconcileWorld(count: 2)
        world.ledger("R00001") { $0.standing = .none }
        let item = try #require(world.reconcile().first { $0.reference == "R00001" })
        #expect(item.kind == .amountMismatch)
    }

    @Test func aPaymentInDoubtIsLeftToRecovery() {
        var world = ReconcileWorld(count: 2)
        world.ledger("R00001") { $0.standing = .inDoubt }
        let items = world.reconcile()
        #expect(!items.contains { $0.reference == "R00001" })
        #expect(!items.contains { $0.kind == .missingInLedger }, "its processor payment is not adopted beside recovery")
    }

    @Test func aDisputeIsExplainedByWhereItStandsOpenOrLost() throws {
        var world = ReconcileWorld(count: 4)  // odd references are Stripe's
        let now = world.now
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: Self.usd) }
        world.processor("R00001") {
            $0.reversals = [
                ProcessorReversal(id: "dp_open", kind: .dispute, amount: usd(700), status: "needs_response", moved: true, date: now)
            ]
        }
        world.processor("R00003") {
            $0.reversals = [ProcessorReversal(id: "dp_lost", kind: .dispute, amount: usd(900), status: "lost", moved: true, date: now)]
        }
        let found = Dictionary(uniqueKeysWithValues: world.reconcile().filter { $0.kind != .matched }.map { ($0.key, $0) })
        #expect(found["reversed-outside:dp_open"]?.explanation.contains("answer it at the processor") == true)
        let lost = try #require(found["reversed-outside:dp_lost"]?.explanation)
        #expect(lost.contains("took back $9.00 USD (dispute lost): nothing to answer") && !lost.contains("answer it at"), "\(lost)")
    }

    @Test func disputesPayoutsAndBankDebitsAreClassifiedWithWhatApplyMayDo() throws {
        var world = ReconcileWorld(count: 12)
        let now = world.now
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: Self.usd) }
        // The cardholder's bank disputed part of a Stripe payment; another dispute was won.
        world.processor("R00001") {
            $0.reversals = [
                ProcessorReversal(id: "dp_1", kind: .dispute, amount: usd(700), status: "needs_response", moved: true, date: now),
                ProcessorReversal(id: "dp_2", kind: .dispute, amount: usd(100), status: "won", moved: false, date: now),
            ]
        }
        // A terminal's bank debit six days old (past the five-day window), and one two days old.
        world.ledger("R00002") {
            $0.standing = .clearing
            $0.date = now.addingTimeInterval(-6 * 86_400)
        }
        world.ledger("R00004") {
            $0.standing = .clearing
            $0.date = now.addingTimeInterval(-2 * 86_400)
        }
        // A Stripe bank debit the ledger shows clearing: cleared at Stripe; another failed there.
        world.ledger("R00003") { $0.standing = .clearing }
        world.ledger("R00005") { $0.standing = .clearing }
        world.processor("R00005") { $0.succeeded = false }
        // Payouts: one whose movements add up, one a cent short, one on its way.
        let entries = [
            ProcessorBalanceEntry(kind: .charge, amount: usd(10_000), fee: usd(320), net: usd(9_680), date: now),
            ProcessorBalanceEntry(kind: .refund, amount: usd(-1_000), fee: usd(0), net: usd(-1_000), date: now),
        ]
        world.sides.payouts = [
            ProcessorPayout(id: "po_ok", amount: usd(8_680), status: "paid", arrival: now, entries: entries),
            ProcessorPayout(id: "po_short", amount: usd(8_679), status: "paid", arrival: now, entries: entries),
            ProcessorPayout(id: "po_transit", amount: usd(8_680), status: "in_transit", arrival: now, entries: entries),
        ]

        let found = Dictionary(uniqueKeysWithValues: world.reconcile().filter { $0.kind != .matched }.map { ($0.key, $0) })
        #expect(
            Set(found.keys) == [
                "reversed-outside:dp_1", "expected:R00002", "expected:R00004", "expected:R00003", "reversed-outside:R00005",
                "amount-mismatch:po_short", "expected:po_transit",
            ])
        #expect(found["reversed-outside:dp_1"]?.action == nil, "a dispute is answered by a person")
        #expect(found["reversed-outside:dp_1"]?.difference == usd(700))
        #expect(found["expected:R00002"]?.action == .settleBankDebit(paymentID: 2), "past its window with no return")
        #expect(found["expected:R00004"]?.action == nil, "still inside its window")
        #expect(found["expected:R00003"]?.action == .settleBankDebit(paymentID: 3), "Stripe reports it cleared")
        #expect(found["reversed-outside:R00005"]?.action == nil)
        #expect(found["amount-mismatch:po_short"]?.difference == usd(-1))

        let totals = PayoutTotals.perPayout(world.sides)
        #expect(totals.map(\.figures.netMinor) == [8_680, 8_680, 8_680])
        #expect(totals[0].figures.grossMinor == 10_000 && totals[0].figures.refundsMinor == 1_000 && totals[0].figures.feesMinor == 320)
    }

    @Test func aTerminalsRefundsAreJoinedByTheirOwnReferencesAndOneRungOnTheKeypadIsFlagged() throws {
        var world = ReconcileWorld(count: 6)
        let usd = { (minor: Int64) in Money(minorUnits: minor, currency: Self.usd) }
        // Refunded through posplus, listed by the terminal under the refund's reference.
        world.ledger("R00002") {
            $0.refunded = usd(500)
            $0.reversalReferences = ["RF2"]
        }
        world.sides.terminals?.append(
            TerminalRecord(terminal: "desk-2", reference: "RF2", approved: true, amount: usd(500), date: nil, kind: .refund))
        // Refunded in the ledger, but the terminal has no such refund.
        world.ledger("R00004") {
            $0.refunded = usd(500)
            $0.reversalReferences = ["RF4"]
        }
        // Refunded in two pieces in the ledger; the terminal has only one of them.
        world.ledger("R00006") {
            $0.refunded = usd(700)
            $0.reversalReferences = ["RF6A", "RF6B"]
        }
        world.sides.terminals?.append(
            TerminalRecord(terminal: "desk-1", reference: "RF6A", approved: true, amount: usd(400), date: nil, kind: .refund))
        // A refund rung up on the terminal's keypad: no reference of ours.
        world.sides.terminals?.append(
            TerminalRecord(terminal: "desk-1", reference: "#77", approved: true, amount: usd(300), date: nil, kind: .refund))

        let found = Dictionary(uniqueKeysWithValues: world.reconcile().filter { $0.kind != .matched }.map { ($0.key, $0) })
        #expect(Set(found.keys) == ["amount-mismatch:R00004", "split-mismatch:R00006", "reversed-outside:desk-1:#77"])
        #expect(found["split-mismatch:R00006"]?.difference == usd(300))
        #expect(found["amount-mismatch:R00004"]?.difference == usd(500))
        #expect(found["reversed-outside:desk-1:#77"]?.action == nil, "only a person knows which payment it gave back")
    }
}
