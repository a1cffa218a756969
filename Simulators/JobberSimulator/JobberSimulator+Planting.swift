import Foundation

extension JobberWorld {
    /// An invoice awaiting payment, with one line and these notes; no webhook is sent.
    func plantInvoice(totalCents: Int64, notes: [String], at time: Date) -> InvoiceRecord {
        lock.withLock {
            let number = freshNumber()
            let stamp = ISO8601DateTime(time)
            let invoice = InvoiceRecord(
                id: EncodedId(type: "Invoice", number: number), invoiceNumber: String(number), status: .awaitingPayment,
                subject: "Service call", clientID: Seed.IDs.ada,
                lineItems: [
                    LineItemRecord(
                        id: EncodedId(type: "InvoiceLineItem", number: number), name: "Service", description: "", quantity: 1,
                        unitCents: totalCents, taxable: false)
                ], taxCents: 0, discountCents: 0, depositCents: 0, issuedDate: stamp, dueDate: stamp, createdAt: stamp,
                updatedAt: stamp)
            data.invoices.append(invoice)
            for message in notes {
                data.notes.append(
                    NoteRecord(
                        id: EncodedId(type: "InvoiceNote", number: freshNumber()), invoiceID: invoice.id, message: message, pinned: false,
                        createdAt: stamp))
            }
            return invoice
        }
    }
}

extension JobberSimulator {
    /// Puts an invoice awaiting payment (and its notes) straight into the account, without a
    /// webhook: for benchmarks and large tests that need thousands. Returns its encoded id and
    /// number.
    public func plantInvoice(totalCents: Int64, notes: [String] = [], at time: Date = Date()) -> (id: String, number: String) {
        let invoice = world.plantInvoice(totalCents: totalCents, notes: notes, at: time)
        return (invoice.id.value, invoice.invoiceNumber)
    }
}
