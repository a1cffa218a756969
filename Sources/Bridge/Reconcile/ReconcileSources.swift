import Foundation
import Gateway
import Jobber
import Ledger
import PosPlusCore
import Reconcile

/// How far a run has read, for a progress bar on a terminal.
public struct ReconcileProgress: Sendable, Equatable {
    public var step: String
    public var done: Int
    public var total: Int
}

/// Reads the four sides of a reconcile window into plain values for ``Reconciler``: the ledger
/// (payments created in the window), the processor (its payments created in the window), the
/// terminals (each terminal payment of an open batch looked up by its reference) and Jobber
/// (only the invoices those payments and the open links touch — never the whole account).
struct ReconcileSources<C: Clock<Duration>>: Sendable {
    let ledger: Ledger
    let gateway: (any PaymentGateway)?
    let jobber: JobberInvoices<C>?
    /// The channel that took a payment (the composition root's `channel(thatTook:)`): its
    /// terminal is asked what it recorded under the payment's reference.
    let channelThatTook: @Sendable (PaymentRecord) throws -> any PaymentChannel
    /// Channel names that belong to the processor (its own and its links').
    let processorChannels: Set<String>
    /// The configured terminals: each one's open batch is listed, even with nothing of posplus's in it.
    let configuredTerminals: @Sendable () -> [TerminalChannel]
    /// Told as each side (and each Jobber invoice) is read, for a progress bar.
    var progress: (@Sendable (ReconcileProgress) -> Void)? = nil

    /// Returns the sides, the ledger's facts behind its side, and notes naming what could not be
    /// read (a side not read is not compared).
    /// The sides a run reads, by the names their watermarks are stored under.
    static var sideNames: [String] { ["ledger", "processor", "terminals", "jobber"] }

    /// `failed` collects the sides that could not be read in full: their watermarks stay where
    /// they were, so the next run reads their window again.
    func read(since: Date, until: Date, terminal: String?, writeBackKind: String, failed: inout Set<String>) async throws -> (
        ReconcileSides, [ReconcilePaymentFacts], [String]
    ) {
        var gaps: [String] = []
        let facts = try ledger.reconcilePayments(since: since, until: until, writeBackKind: writeBackKind)
        // A saved card moved no money: nothing to compare on any side.
        let ledgerSide = facts.filter { $0.payment.operation != .tokenize }.map(ledgerPayment)
        var processor: [ProcessorPayment] = []
        var balance: [ProcessorBalanceEntry] = []
        var payouts: [ProcessorPayout] = []
        var processorLinks: [ProcessorLink] = []
        if let gateway {
            progress?(ReconcileProgress(step: "Stripe", done: 0, total: 1))
            let activity = try await gateway.activity(since: since)
            let reversals = Dictionary(grouping: activity.reversals, by: \.paymentID)
            processor = activity.payments.filter { $0.created < until }.map { processorPayment($0, reversals: reversals[$0.id] ?? []) }
            balance = activity.balance.filter { $0.created < until }.compactMap(Self.balanceEntry)
            processorLinks = try activity.activeLinks.compactMap { listed -> ProcessorLink? in
                guard let reference = listed.reference else { return nil }  // not one of ours: not ours to touch
                let inLedger: ProcessorLink.InLedger =
                    switch try ledger.link(reference: reference)?.state {
                    case .open?: .open
                    case let state?: .closed(state.rawValue)
                    case nil: .unknown
                    }
                return ProcessorLink(id: listed.id, reference: reference, invoiceID: listed.invoiceID, inLedger: inLedger)
            }
            payouts = activity.payouts.filter { $0.created < until }.map { payout in
                ProcessorPayout(
                    id: payout.id, amount: payout.amount, status: payout.status, arrival: payout.arrival,
                    entries: payout.entries.compactMap(Self.balanceEntry))
            }
        } else {
            gaps.append("processor not read: no stripe.secret_key configured")
        }
        progress?(ReconcileProgress(step: "terminals", done: 0, total: 1))
        let terminalSide = TerminalBatchReading(
            configured: configuredTerminals, channelThatTook: channelThatTook, processorChannels: processorChannels)
        let terminalGaps = gaps.count
        let (listed, asked) = await terminalSide.read(facts, only: terminal, gaps: &gaps)
        let terminals = try TerminalBatchReading.inWindow(listed, since: since, facts: facts, ledger: ledger)
        if gaps.count > terminalGaps || terminal != nil { failed.insert("terminals") }
        let links = try ledger.links(openOnly: true, limit: 1_000).map { link in
            OpenLink(id: link.id, processorLinkID: link.processorLinkID, invoiceID: link.invoiceID, amount: link.amount)
        }
        let touched = Set(ledgerSide.compactMap(\.invoiceID) + processor.compactMap(\.invoiceID) + links.compactMap(\.invoiceID))
        var invoices: [JobberInvoice] = []
        if let jobber {
            do {
                // A deposit taken on a quote is checked against the quote's notes.
                let quotes = Set(facts.filter { $0.payment.invoiceID == nil }.compactMap(\.payment.quoteID))
                for (done, id) in touched.sorted().enumerated() {
                    progress?(ReconcileProgress(step: "Jobber invoices", done: done, total: touched.count))
                    invoices.append(try await quotes.contains(id) ? jobberQuote(id, jobber) : jobberInvoice(id, jobber))
                }
            } catch {
                // Without all of Jobber's side, none of it is compared: a half-read side would
                // report the unread invoices' notes as missing.
                invoices = []
                failed.insert("jobber")
                gaps.append("Jobber not read: \(error)")
            }
        } else {
            gaps.append("Jobber not read: not connected or not configured")
        }
        var sides = ReconcileSides(
            ledger: ledgerSide, processor: processor, terminals: terminals, jobber: invoices, openLinks: links, processorBalance: balance,
            payouts: payouts)
        sides.terminalsAsked = asked
        sides.processorLinks = processorLinks
        sides.batchCloses = try ledger.batchCloses(since: since, until: until).compactMap { close in
            guard let count = close.terminalCount, let total = close.terminalTotal, terminal.map({ $0 == close.channel }) ?? true else {
                return nil
            }
            return TerminalBatchClose(
                terminal: close.channel, closedAt: close.closedAt, ledgerCount: close.ledgerCount, ledgerTotal: close.ledgerTotal,
                terminalCount: count, terminalTotal: total)
        }
        return (sides, facts, gaps)
    }

    private func ledgerPayment(_ facts: ReconcilePaymentFacts) -> LedgerPayment {
        let row = facts.payment
        let standing: LedgerPayment.Standing =
            switch row.state {
            case .approved, .partiallyApproved, .partiallyRefunded, .refunded, .settled: .taken
            case .pending: .clearing
            case .intended, .sent, .unknown: .inDoubt
            case .declined, .abandoned, .voided, .returned: .none
            }
        var payment = LedgerPayment(
            id: row.id, reference: facts.reference ?? row.idempotencyKey,
            channel: processorChannels.contains(row.channel) ? .processor : .terminal(row.channel), standing: standing,
            captured: row.captured, refunded: row.refunded,
            invoiceID: row.invoiceID ?? row.quoteID, processorID: row.processorReference, date: row.createdAt,
            writeBackDone: facts.writeBack == .done, writeBackQueued: facts.writeBack != nil)
        payment.invoiceNumber = row.invoiceNumber
        payment.jobberRecordID = row.jobberRecordID
        payment.reversalReferences = facts.reversals.filter { $0.state == .approved }.compactMap(\.reference)
        return payment
    }

    private func processorPayment(_ payment: GatewayPayment, reversals: [GatewayReversal]) -> ProcessorPayment {
        ProcessorPayment(
            id: payment.id, reference: payment.metadata["posplus_reference"], invoiceID: payment.metadata["jobber_invoice_id"],
            succeeded: payment.status == .succeeded, pending: payment.status == .processing, captured: payment.captured,
            refunded: payment.refunded, date: payment.created,
            reversals: reversals.map {
                ProcessorReversal(
                    id: $0.id, kind: $0.kind == .refund ? .refund : .dispute, amount: $0.amount, status: $0.status, moved: $0.moved,
                    date: $0.created)
            })
    }

    /// A balance movement, less the payout's own (which is the payout, not what it pays out).
    private static func balanceEntry(_ entry: GatewayBalanceEntry) -> ProcessorBalanceEntry? {
        let kind: ProcessorBalanceEntry.Kind
        switch entry.kind {
        case .charge: kind = .charge
        case .refund: kind = .refund
        case .dispute: kind = .dispute
        case .other: kind = .other
        case .payout: return nil
        }
        return ProcessorBalanceEntry(kind: kind, amount: entry.amount, fee: entry.fee, net: entry.net, date: entry.created)
    }

    /// A quote read as the "invoice" its deposit was taken on: its notes, its deposit records,
    /// the deposit still to collect as its balance.
    private func jobberQuote(_ id: String, _ jobber: JobberInvoices<C>) async throws -> JobberInvoice {
        let view = try await jobber.reconcileView(quoteID: id)
        return JobberInvoice(
            id: id, number: "quote \(view.number)", balance: view.outstandingDeposit, noteReferences: view.markedReferences,
            records: view.depositRecords.map(Self.record))
    }

    private func jobberInvoice(_ id: String, _ jobber: JobberInvoices<C>) async throws -> JobberInvoice {
        let view = try await jobber.reconcileView(invoiceID: id)
        return JobberInvoice(
            id: id, number: view.invoice.number, balance: view.invoice.balance, noteReferences: view.markedReferences,
            records: view.paymentRecords.map(Self.record))
    }

    /// A Jobber payment (or deposit) record as the matcher sees it: its date, and posplus's
    /// reference when its details carry the marker.
    static func record(_ record: JobberPaymentRecord) -> JobberInvoice.Record {
        JobberInvoice.Record(id: record.id, amount: record.amount, date: entryDate(record.entryDate), reference: record.markedReference)
    }

    /// Jobber's `entryDate` (ISO 8601, with or without a time).
    static func entryDate(_ text: String) -> Date {
        if let full = try? Date(text, strategy: .iso8601) { return full }
        return (try? Date(String(text.prefix(10)) + "T12:00:00Z", strategy: .iso8601)) ?? .distantPast
    }
}
