import Foundation

/// The data a simulated account starts with.
///
/// The standard seed is one home-service business whose clients cover every case the charge
/// check must handle: an invoice in each status, a client with several open invoices (so
/// staff must pick one), a client with exactly one, partly paid invoices, a balance of 4.60
/// and amounts of 0.10, 1234.56 and 999999.99 (Float text that must be read exactly), quotes
/// with deposits, line items, payment records and notes.
public struct Seed: Sendable {
    var account: AccountRecord
    var clients: [ClientRecord]
    var invoices: [InvoiceRecord]
    var quotes: [QuoteRecord]
    var payments: [PaymentRecordRecord]
    var notes: [NoteRecord]

    /// Well-known ids of the standard seed, for tests and the demo.
    public enum IDs {
        public static let account = EncodedId(type: "Account", number: 1)
        /// Ada Lovelace: invoices 1041–1046, one in every status; three are open.
        public static let ada = EncodedId(type: "Client", number: 1)
        /// Grace Hopper: invoices 1050 (999,999.99) and 1051 (0.10), quote 77.
        public static let grace = EncodedId(type: "Client", number: 2)
        /// Bletchley Bakery: exactly one open invoice, 1060.
        public static let bakery = EncodedId(type: "Client", number: 3)
        /// Katherine Johnson (``Seed/withPaymentHistory(reference:)`` only): four invoices paid
        /// before they were due, and #1070 ($1,800.00) open: a client a payment plan suits.
        public static let katherine = EncodedId(type: "Client", number: 4)
        public static func invoice(_ number: Int) -> EncodedId { EncodedId(type: "Invoice", number: number) }
        public static func quote(_ number: Int) -> EncodedId { EncodedId(type: "Quote", number: number) }
    }

    /// The standard account plus a client with a good history (the demo's "getting paid" part):
    /// Katherine Johnson paid four invoices, each before it was due, and owes #1070, $1,800.00,
    /// not yet due. Kept apart so the standard seed's counts stay what tests know.
    public static func withPaymentHistory(reference: Date = Date(timeIntervalSince1970: 1_793_500_000)) -> Seed {
        var builder = standardBuilder(reference: reference)
        let katherine = builder.client(IDs.katherine, "Katherine", "Johnson", email: "katherine@example.com")
        for (number, job) in [(1071, "Boiler service"), (1072, "Radiator flush"), (1073, "Thermostat swap"), (1074, "Boiler service")] {
            builder.invoice(number, .paid, katherine, job, [(job, 1, 30_000)], dueIn: 0)
            builder.payment(invoice: number, client: katherine, cents: 30_000, .payment, "Cheque")
        }
        builder.invoice(
            1070, .awaitingPayment, katherine, "New boiler", [("Condensing boiler", 1, 160_000), ("Labour", 1, 20_000)], dueIn: 30)
        return builder.seed
    }

    /// The standard account, dated around `reference` (default: 2026-11-01).
    public static func standard(reference: Date = Date(timeIntervalSince1970: 1_793_500_000)) -> Seed {
        standardBuilder(reference: reference).seed
    }

    /// The standard account's builder, so a larger seed adds to it with ids that do not collide.
    static func standardBuilder(reference: Date) -> SeedBuilder {
        var builder = SeedBuilder(reference: reference)
        let ada = builder.client(IDs.ada, "Ada", "Lovelace", email: "ada@example.com", phone: "+15555550101")
        let grace = builder.client(IDs.grace, "Grace", "Hopper", email: "grace@example.com", phone: "+15555550102")
        let bakery = builder.client(IDs.bakery, "Alan", "Turing", company: "Bletchley Bakery", email: "office@bletchley.example")

        builder.invoice(1041, .draft, ada, "Duct cleaning", [("Duct cleaning", 1, 25_000)])
        builder.invoice(1042, .awaitingPayment, ada, "Furnace service", [("Furnace service", 1, 40_000), ("Filter", 2, 3_000)])
        builder.payment(invoice: 1042, client: ada, cents: 45_540, .payment, "Visa 4242, paid at the van")
        builder.invoice(1043, .pastDue, ada, "Water heater", [("Water heater install", 1, 110_000), ("Permit", 1, 13_456)], dueIn: -10)
        builder.invoice(1044, .sentNotDue, ada, "Thermostat", [("Smart thermostat", 1, 7_999)], tax: 1_000, dueIn: 20)
        builder.invoice(1045, .paid, ada, "Inspection", [("Annual inspection", 1, 12_000)])
        builder.payment(invoice: 1045, client: ada, cents: 12_000, .payment, "Cash")
        builder.invoice(1046, .badDebt, ada, "Emergency call", [("After-hours call-out", 1, 7_500)])

        builder.invoice(1050, .awaitingPayment, grace, "Full system replacement", [("Geothermal system", 1, 99_999_999)])
        builder.invoice(1051, .sentNotDue, grace, "Adjustment", [("Rounding adjustment", 1, 10)], dueIn: 30)

        builder.invoice(1060, .pastDue, bakery, "Walk-in cooler repair", [("Compressor", 1, 28_000), ("Labour", 2, 1_500)])

        builder.quote(77, .approved, grace, [("Geothermal system", 1, 99_999_999)], deposit: 15_000)
        builder.depositPayment(quote: 77, client: grace, cents: 14_990)
        builder.quote(78, .awaitingResponse, ada, [("Heat pump", 1, 150_000)], deposit: 30_000)
        builder.quote(79, .draft, bakery, [("Second cooler", 1, 90_000)], deposit: 0)

        builder.note(invoice: 1042, "Customer prefers a text message before we arrive.")
        return builder
    }
}

/// Assembles a seed with consistent ids and dates.
struct SeedBuilder {
    let reference: Date
    var seed: Seed
    private var counter = 0

    init(reference: Date) {
        self.reference = reference
        seed = Seed(
            account: AccountRecord(id: Seed.IDs.account, name: "Maple & Pine Home Services"), clients: [], invoices: [], quotes: [],
            payments: [], notes: [])
    }

    private mutating func next(_ type: String) -> EncodedId {
        counter += 1
        return EncodedId(type: type, number: counter)
    }

    private func day(_ offset: Int) -> ISO8601DateTime {
        ISO8601DateTime(reference.addingTimeInterval(TimeInterval(offset) * 86_400))
    }

    mutating func client(
        _ id: EncodedId, _ first: String, _ last: String, company: String? = nil, email: String, phone: String? = nil
    ) -> EncodedId {
        let emails = [EmailRecord(id: next("Email"), address: email, primary: true, description: "MAIN")]
        let phones = phone.map {
            [PhoneRecord(id: next("ClientPhoneNumber"), number: $0, primary: true, smsAllowed: true, description: "MOBILE")]
        }
        seed.clients.append(
            ClientRecord(
                id: id, firstName: first, lastName: last, companyName: company, emails: emails, phones: phones ?? [],
                createdAt: day(-400)))
        return id
    }

    private mutating func items(_ lines: [(String, Int, Int64)]) -> [LineItemRecord] {
        lines.map { line in
            LineItemRecord(id: next("InvoiceLineItem"), name: line.0, description: "", quantity: line.1, unitCents: line.2, taxable: true)
        }
    }

    mutating func invoice(
        _ number: Int, _ status: InvoiceStatusTypeEnum, _ client: EncodedId, _ subject: String, _ lines: [(String, Int, Int64)],
        tax: Int64 = 0, dueIn: Int = 0
    ) {
        let issued = status == .draft ? nil : day(-30)
        seed.invoices.append(
            InvoiceRecord(
                id: Seed.IDs.invoice(number), invoiceNumber: String(number), status: status, subject: subject, clientID: client,
                lineItems: items(lines), taxCents: tax, discountCents: 0, depositCents: 0, issuedDate: issued,
                dueDate: status == .draft ? nil : day(dueIn), createdAt: day(-31), updatedAt: day(-1)))
    }

    mutating func quote(_ number: Int, _ status: QuoteStatusTypeEnum, _ client: EncodedId, _ lines: [(String, Int, Int64)], deposit: Int64)
    {
        seed.quotes.append(
            QuoteRecord(
                id: Seed.IDs.quote(number), quoteNumber: String(number), status: status, clientID: client, lineItems: items(lines),
                taxCents: 0, depositCents: deposit, createdAt: day(-20), updatedAt: day(-2)))
    }

    mutating func payment(invoice number: Int, client: EncodedId, cents: Int64, _ type: IncomeAdjustmentType, _ details: String) {
        seed.payments.append(
            PaymentRecordRecord(
                id: next("PaymentRecord"), invoiceID: Seed.IDs.invoice(number), quoteID: nil, clientID: client, amountCents: cents,
                adjustmentType: type, details: details, entryDate: day(-5)))
    }

    mutating func depositPayment(quote number: Int, client: EncodedId, cents: Int64) {
        seed.payments.append(
            PaymentRecordRecord(
                id: next("PaymentRecord"), invoiceID: nil, quoteID: Seed.IDs.quote(number), clientID: client, amountCents: cents,
                adjustmentType: .deposit, details: "Deposit by e-transfer", entryDate: day(-3)))
    }

    mutating func note(invoice number: Int, _ message: String) {
        seed.notes.append(
            NoteRecord(id: next("InvoiceNote"), invoiceID: Seed.IDs.invoice(number), message: message, pinned: false, createdAt: day(-4)))
    }
}
