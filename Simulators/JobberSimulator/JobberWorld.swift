import Foundation

/// The simulated Jobber account's data: clients, invoices, quotes, payment records, notes.
///
/// One lock guards it all; every read hands out copies, so a GraphQL resolver never sees a
/// half-applied change. Changes that Jobber would announce by webhook return the topics to
/// send (``Change``), and the server sends them after the change is in.
public final class JobberWorld: @unchecked Sendable {
    /// A webhook-worthy change: topic and the item it concerns.
    public struct Change: Equatable, Sendable {
        public var topic: String
        public var itemID: String
    }

    let lock = NSLock()
    var data: Seed
    private var nextNumber = 10_000
    let now: @Sendable () -> Date

    /// - Parameter now: the simulator's clock, for timestamps on new records.
    public init(seed: Seed = .standard(), now: @escaping @Sendable () -> Date = { Date() }) {
        data = seed
        self.now = now
    }

    var account: AccountRecord { lock.withLock { data.account } }

    func client(_ id: EncodedId) -> ClientRecord? { lock.withLock { data.clients.first { $0.id == id } } }
    var clients: [ClientRecord] { lock.withLock { data.clients } }
    func invoice(_ id: EncodedId) -> InvoiceRecord? { lock.withLock { data.invoices.first { $0.id == id } } }
    var invoices: [InvoiceRecord] { lock.withLock { data.invoices } }
    func quote(_ id: EncodedId) -> QuoteRecord? { lock.withLock { data.quotes.first { $0.id == id } } }
    var quotes: [QuoteRecord] { lock.withLock { data.quotes } }

    func payments(invoice id: EncodedId) -> [PaymentRecordRecord] { lock.withLock { data.payments.filter { $0.invoiceID == id } } }
    func payments(quote id: EncodedId) -> [PaymentRecordRecord] { lock.withLock { data.payments.filter { $0.quoteID == id } } }
    /// The notes on an invoice, newest first (as Jobber lists them).
    func notes(invoice id: EncodedId) -> [NoteRecord] {
        lock.withLock { data.notes.filter { $0.invoiceID == id }.reversed() }
    }

    /// What has been paid on an invoice: payments and deposits less refunds.
    func paidCents(invoice id: EncodedId) -> Int64 {
        payments(invoice: id).reduce(0) { $0 + $1.adjustmentType.paidSign * $1.amountCents }
    }

    func balanceCents(_ invoice: InvoiceRecord) -> Int64 {
        max(0, invoice.totalCents - paidCents(invoice: invoice.id))
    }

    /// A client's current balance: what is still owed on its open invoices.
    func balanceCents(client id: EncodedId) -> Int64 {
        invoices.filter { $0.clientID == id && $0.status.isOpen }.reduce(0) { $0 + balanceCents($1) }
    }

    func depositPaidCents(quote id: EncodedId) -> Int64 {
        payments(quote: id).reduce(0) { $0 + $1.adjustmentType.paidSign * $1.amountCents }
    }

    // MARK: Changes

    /// Call with `lock` held.
    func freshNumber() -> Int {
        nextNumber += 1
        return nextNumber
    }

    /// `quoteCreateNote`: a note on a quote. Kept with the invoice notes under the quote's id
    /// (an encoded id names its type, so the two never collide).
    func addNote(quote id: EncodedId, message: String) -> NoteRecord? {
        lock.withLock {
            guard data.quotes.contains(where: { $0.id == id }) else { return nil }
            let note = NoteRecord(
                id: EncodedId(type: "QuoteNote", number: freshNumber()), invoiceID: id, message: message, pinned: false,
                createdAt: ISO8601DateTime(now()))
            data.notes.append(note)
            return note
        }
    }

    /// `invoiceCreateNote`: appends a note; Jobber sends no webhook for notes.
    func addNote(invoice id: EncodedId, message: String, pinned: Bool) -> NoteRecord? {
        lock.withLock {
            guard data.invoices.contains(where: { $0.id == id }) else { return nil }
            let note = NoteRecord(
                id: EncodedId(type: "InvoiceNote", number: freshNumber()), invoiceID: id, message: message, pinned: pinned,
                createdAt: ISO8601DateTime(now()))
            data.notes.append(note)
            return note
        }
    }

    /// Records a payment against an invoice (the `invoiceCreatePaymentRecord` mutation, or
    /// staff entering one in Jobber's UI); a fully paid invoice becomes `paid`.
    func recordPayment(
        invoice id: EncodedId, cents: Int64, adjustment: IncomeAdjustmentType, details: String?
    ) -> (PaymentRecordRecord, [Change])? {
        guard let invoice = invoice(id) else { return nil }
        let record = PaymentRecordRecord(
            id: EncodedId(type: "PaymentRecord", number: lock.withLock { freshNumber() }), invoiceID: id, quoteID: nil,
            clientID: invoice.clientID, amountCents: cents, adjustmentType: adjustment, details: details,
            entryDate: ISO8601DateTime(now()))
        lock.withLock { data.payments.append(record) }
        var changes = [Change(topic: "PAYMENT_CREATE", itemID: record.id.value)]
        let status: InvoiceStatusTypeEnum? =
            balanceCents(invoice) == 0 && invoice.status.isOpen
            ? .paid : invoice.status == .paid && balanceCents(invoice) > 0 ? .awaitingPayment : nil
        changes += update(invoice: id) { invoice in
            if let status { invoice.status = status }
        }
        return (record, changes)
    }

    /// Changes an invoice in place and stamps `updatedAt`; returns the INVOICE_UPDATE change.
    func update(invoice id: EncodedId, _ change: (inout InvoiceRecord) -> Void) -> [Change] {
        lock.withLock {
            guard let index = data.invoices.firstIndex(where: { $0.id == id }) else { return [] }
            change(&data.invoices[index])
            data.invoices[index].updatedAt = ISO8601DateTime(now())
            return [Change(topic: "INVOICE_UPDATE", itemID: id.value)]
        }
    }
}
