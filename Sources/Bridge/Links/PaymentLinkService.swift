import Crypto
import Foundation
import Gateway
import HTTPClient
import Jobber
import Ledger
import Logging
import Messaging
import PosPlusCore

/// Payment links from the field: checked against the Jobber invoice, created at the gateway,
/// recorded in the ledger, and delivered through the outbox, so a mail server or SMS service
/// that is down delays the message instead of losing it.
public struct PaymentLinkService<C: Clock<Duration>>: Sendable {
    public let ledger: Ledger
    public let gateway: any PaymentGateway
    public let invoices: JobberInvoices<C>
    public let rules: ChargeGuard
    public let businessName: String
    /// What waits for a manager (`approvals.link_over`); none by default.
    public var approvalThresholds = ApprovalThresholds()
    /// Risk holds on links (`risk.*`): off by default.
    public var risk = RiskSettings()
    /// The client's payment history in Jobber, for risk's new-client signal; nil: the ledger's
    /// record alone.
    public var clientHistory: ClientHistorySource?

    public init(ledger: Ledger, gateway: any PaymentGateway, invoices: JobberInvoices<C>, rules: ChargeGuard, businessName: String) {
        self.ledger = ledger
        self.gateway = gateway
        self.invoices = invoices
        self.rules = rules
        self.businessName = businessName
    }

    /// Where the link goes.
    public enum Recipient: Equatable, Sendable {
        case email(EmailAddress)
        case sms(PhoneNumber)

        /// Where a link goes for a client Jobber knows: their first email or first phone that
        /// takes texts, the one asked for first and the other when they lack it — a link is worth
        /// more than the channel. Nil when Jobber has neither.
        static func preferred(in contacts: CustomerContacts, emailFirst: Bool) -> Recipient? {
            let email = contacts.emails.lazy.compactMap { try? EmailAddress($0) }.first.map(Recipient.email)
            let phone = contacts.textablePhones.lazy.compactMap { try? PhoneNumber($0) }.first.map(Recipient.sms)
            return emailFirst ? (email ?? phone) : (phone ?? email)
        }

        var jobKind: String {
            switch self {
            case .email: return LinkDelivery.emailJob
            case .sms: return LinkDelivery.smsJob
            }
        }

        var address: String {
            switch self {
            case .email(let address): return address.value
            case .sms(let phone): return phone.e164
            }
        }
    }

    /// Creates a link for invoice `number` (its balance, or `amount` as a partial payment) and
    /// queues the message. Refused with the guard's words if the invoice cannot be charged.
    ///
    /// With `idempotencyKey`, sending again under the same key (a double tap on a phone, a
    /// retry after a timeout) returns the link sent the first time and sends no second message;
    /// the same key for another invoice or amount is refused (``PaymentLinkError/keyReused(key:linkID:)``).
    ///
    /// A link over `approvals.link_over` is held for a manager (``ApprovalHold``) before anything
    /// is created; once approved, ``ApprovalDesk`` sends it through here under the same key.
    public func send(
        invoiceNumber number: String, amount: Money?, to recipient: Recipient, operator actor: String,
        idempotencyKey key: IdempotencyKey? = nil
    ) async throws -> PaymentLinkRecord {
        let reference = key.map(Self.reference(for:)) ?? Self.newReference()
        if let sent = try ledger.link(reference: reference.rawValue) {
            return try Self.repeated(sent, key: key) { $0.invoiceNumber == number && amount.map { $0 == sent.amount } ?? true }
        }
        let invoice = try await invoices.invoice(number: number)
        let charged = amount ?? invoice.balance
        let charge = ProposedCharge(amount: charged, intent: charged == invoice.balance ? .fullBalance : .partial)
        try rules.check(charge, against: invoice)
        // A counter payment Jobber does not show yet must not be asked for again by link. A link
        // for what is left after one is a request the customer answers, not a repeated charge.
        try ledger.standing(invoiceID: invoice.id).check(charged, owed: invoice.balance, invoice: invoice.number, splitTender: true)
        try await requireApproval(
            of: HeldLink(invoiceNumber: number, amount: amount, to: recipient), amount: charged,
            summary: Self.summary(charged, for: "invoice #\(invoice.number)", to: recipient), invoiceNumber: invoice.number,
            clientID: invoice.clientID, by: actor, key: key)
        return try await create(
            NewPaymentLink(
                processor: gateway.name, processorLinkID: "", url: "", invoiceID: invoice.id, invoiceNumber: invoice.number,
                amount: charged, reference: reference),
            description: "Invoice #\(invoice.number) — \(businessName)", to: recipient, operator: actor)
    }

    /// Creates a link for the deposit on quote `id` (what is still to collect of it, or `amount`
    /// as part of it) and queues the message. Refused with the guard's words if the quote is not
    /// out with the client or the amount does not fit.
    /// `idempotencyKey` works as for ``send(invoiceNumber:amount:to:operator:idempotencyKey:)``.
    public func sendDeposit(
        quoteID id: String, amount: Money?, to recipient: Recipient, operator actor: String, idempotencyKey key: IdempotencyKey? = nil
    ) async throws -> PaymentLinkRecord {
        let reference = key.map(Self.reference(for:)) ?? Self.newReference()
        if let sent = try ledger.link(reference: reference.rawValue) {
            return try Self.repeated(sent, key: key) { $0.quoteID == id && amount.map { $0 == sent.amount } ?? true }
        }
        let quote = try await invoices.quote(id: id)
        let charged = amount ?? quote.outstandingDeposit
        try rules.checkDeposit(charged, on: quote)
        try await requireApproval(
            of: HeldLink(quoteID: id, amount: amount, to: recipient), amount: charged,
            summary: Self.summary(charged, for: "the deposit on quote #\(quote.number)", to: recipient), invoiceNumber: nil,
            clientID: quote.clientID, by: actor, key: key)
        return try await create(
            NewPaymentLink(
                processor: gateway.name, processorLinkID: "", url: "", quoteID: quote.id, quoteNumber: quote.number, amount: charged,
                reference: reference),
            description: "Deposit for quote #\(quote.number) — \(businessName)", to: recipient, operator: actor)
    }

    /// Creates `draft` at the gateway under its reference (the idempotency key), then records
    /// it and queues its message in one ledger transaction. If the ledger refuses the record,
    /// the link is deactivated at the gateway before the error is passed on: a link posplus
    /// has no record of must never take money. (Nobody has its URL yet, but it stays shut.)
    private func create(_ draft: NewPaymentLink, description: String, to recipient: Recipient, operator actor: String) async throws
        -> PaymentLinkRecord
    {
        guard gateway.capabilities.contains(.paymentLinks) else { throw GatewayError.notFound("\(gateway.name) cannot make payment links") }
        let reference = draft.reference.rawValue
        let link = try await gateway.createLink(
            PaymentLinkRequest(
                amount: draft.amount, description: description, invoiceID: draft.invoiceID, invoiceNumber: draft.invoiceNumber,
                quoteID: draft.quoteID, reference: reference),
            idempotencyKey: reference)
        var new = draft
        new.processorLinkID = link.id
        new.url = link.url
        do {
            return try ledger.recordLink(new, actor: actor) { record in
                let payload = JSONValue.object(["link": .number(String(record.id)), "to": .string(recipient.address)]).serialized
                return NewOutboxJob(kind: recipient.jobKind, dedupeKey: "\(recipient.jobKind)-\(reference)", payload: payload)
            }
        } catch {
            // The same key sent twice at once: the processor gave both runs one link, and the
            // other run recorded it first. That link is live and recorded: return it, never shut it.
            if let recorded = try? ledger.link(reference: reference), recorded.processorLinkID == link.id { return recorded }
            try? await gateway.deactivateLink(link.id, idempotencyKey: "unrecorded-\(reference)")
            throw error
        }
    }

    private static func newReference() -> PaymentReference {
        var generator = SystemRandomNumberGenerator()
        return PaymentReference.random(using: &generator)
    }

    /// The link's reference for a caller's key: "L" and 15 Crockford base-32 digits of the key's
    /// SHA-256 (75 bits), so the same key always names the same link here and at the processor
    /// (the reference is its idempotency key there too), whichever process sends it.
    public static func reference(for key: IdempotencyKey) -> PaymentReference {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits = Array(SHA256.hash(data: Array(key.rawValue.utf8))).prefix(10).reduce(into: [Bool]()) { bits, byte in
            for shift in stride(from: 7, through: 0, by: -1) { bits.append(byte >> shift & 1 == 1) }
        }
        var text = "L"
        while text.count < PaymentReference.maximumLength {
            let digit = bits.prefix(5).reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
            bits.removeFirst(5)
            text.append(alphabet[digit])
        }
        return try! PaymentReference(text)  // built from the allowed alphabet, within the length
    }

    /// A link already sent under `key`: returned if `isSameRequest`, else the key is refused.
    private static func repeated(_ sent: PaymentLinkRecord, key: IdempotencyKey?, isSameRequest: (PaymentLinkRecord) -> Bool) throws
        -> PaymentLinkRecord
    {
        guard isSameRequest(sent) else { throw PaymentLinkError.keyReused(key: key?.rawValue ?? "", linkID: sent.id) }
        return sent
    }

    /// Stops a link taking payments, at the gateway first, then in the ledger.
    public func cancel(linkID: Int64, operator actor: String) async throws -> PaymentLinkRecord {
        guard let link = try ledger.link(id: linkID) else { throw LedgerError.linkNotFound("\(linkID)") }
        guard link.state == .open else {
            throw LedgerError.invalidRequest("Link \(linkID) is \(link.state.rawValue); only an open link can be cancelled.")
        }
        try await gateway.deactivateLink(link.processorLinkID, idempotencyKey: "cancel-\(link.reference)")
        return try ledger.closeLink(id: linkID, as: .cancelled, actor: actor)
    }
}

/// Why a link request was refused before anything was sent.
public enum PaymentLinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The idempotency key was already used to send another link (other invoice, quote or amount).
    case keyReused(key: String, linkID: Int64)

    public var description: String {
        switch self {
        case .keyReused(let key, let id):
            return "The idempotency key \"\(key)\" was already used for link \(id) with different details; use a new key for a new link."
        }
    }
}

/// The outbox handlers that deliver link messages.
public enum LinkDelivery {
    public static let emailJob = "link.email"
    public static let smsJob = "link.sms"

    public static func handlers<C: Clock<Duration>>(
        ledger: Ledger, mailer: SMTPMailer?, sms: SMSSender<C>?, businessName: String, templates: MessageTemplates = MessageTemplates()
    ) -> [String: OutboxWorker.Handler] {
        /// The message for the job's link, or nil when the link no longer takes payments (it was
        /// cancelled, paid or expired before its message went out): a customer must never be sent a
        /// link that does not work.
        @Sendable func message(_ job: OutboxJobRecord) throws -> (PaymentLinkMessage, String)? {
            let json = try JSONValue.parse(Array(job.payload.utf8))
            guard let id = json["link"]?.int, let to = json["to"]?.string, let link = try ledger.link(id: Int64(id)) else {
                throw LedgerError.invalidRequest("outbox job \(job.id) names no link")
            }
            guard link.state == .open else { return nil }
            return (
                PaymentLinkMessage(
                    business: businessName, invoiceNumber: link.invoiceNumber ?? "", quoteNumber: link.quoteNumber, amount: link.amount,
                    url: link.url),
                to
            )
        }
        /// A deposit link speaks of the quote; an invoice link of the invoice.
        @Sendable func words(_ message: PaymentLinkMessage) -> (sms: String, subject: String, body: String) {
            message.quoteNumber == nil
                ? (templates.sms, templates.emailSubject, templates.emailBody)
                : (templates.depositSMS, templates.depositEmailSubject, templates.depositEmailBody)
        }
        var handlers: [String: OutboxWorker.Handler] = [:]
        if let mailer {
            handlers[emailJob] = { job in
                guard let (message, to) = try message(job) else { return }
                let chosen = words(message)
                try await mailer.send(
                    EmailMessage(to: try EmailAddress(to), subject: message.render(chosen.subject), body: message.render(chosen.body)))
            }
        }
        if let sms {
            handlers[smsJob] = { job in
                guard let (message, to) = try message(job) else { return }
                try await sms.send(message.render(words(message).sms), to: try PhoneNumber(to))
            }
        }
        return handlers
    }
}
