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
    public func send(invoiceNumber number: String, amount: Money?, to recipient: Recipient, operator actor: String) async throws
        -> PaymentLinkRecord
    {
        let invoice = try await invoices.invoice(number: number)
        let charged = amount ?? invoice.balance
        let charge = ProposedCharge(amount: charged, intent: charged == invoice.balance ? .fullBalance : .partial)
        try rules.check(charge, against: invoice)
        // A counter payment Jobber does not show yet must not be asked for again by link. A link
        // for what is left after one is a request the customer answers, not a repeated charge.
        try ledger.standing(invoiceID: invoice.id).check(charged, owed: invoice.balance, invoice: invoice.number, splitTender: true)
        return try await create(
            NewPaymentLink(
                processor: gateway.name, processorLinkID: "", url: "", invoiceID: invoice.id, invoiceNumber: invoice.number,
                amount: charged, reference: Self.newReference()),
            description: "Invoice #\(invoice.number) — \(businessName)", to: recipient, operator: actor)
    }

    /// Creates a link for the deposit on quote `id` (what is still to collect of it, or `amount`
    /// as part of it) and queues the message. Refused with the guard's words if the quote is not
    /// out with the client or the amount does not fit.
    public func sendDeposit(quoteID id: String, amount: Money?, to recipient: Recipient, operator actor: String) async throws
        -> PaymentLinkRecord
    {
        let quote = try await invoices.quote(id: id)
        let charged = amount ?? quote.outstandingDeposit
        try rules.checkDeposit(charged, on: quote)
        return try await create(
            NewPaymentLink(
                processor: gateway.name, processorLinkID: "", url: "", quoteID: quote.id, quoteNumber: quote.number, amount: charged,
                reference: Self.newReference()),
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
            try? await gateway.deactivateLink(link.id, idempotencyKey: "unrecorded-\(reference)")
            throw error
        }
    }

    private static func newReference() -> PaymentReference {
        var generator = SystemRandomNumberGenerator()
        return PaymentReference.random(using: &generator)
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

/// The outbox handlers that deliver link messages.
public enum LinkDelivery {
    public static let emailJob = "link.email"
    public static let smsJob = "link.sms"

    public static func handlers<C: Clock<Duration>>(
        ledger: Ledger, mailer: SMTPMailer?, sms: SMSSender<C>?, businessName: String, templates: MessageTemplates = MessageTemplates()
    ) -> [String: OutboxWorker.Handler] {
        @Sendable func message(_ job: OutboxJobRecord) throws -> (PaymentLinkMessage, String) {
            let json = try JSONValue.parse(Array(job.payload.utf8))
            guard let id = json["link"]?.int, let to = json["to"]?.string, let link = try ledger.link(id: Int64(id)) else {
                throw LedgerError.invalidRequest("outbox job \(job.id) names no link")
            }
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
                let (message, to) = try message(job)
                let chosen = words(message)
                try await mailer.send(
                    EmailMessage(to: try EmailAddress(to), subject: message.render(chosen.subject), body: message.render(chosen.body)))
            }
        }
        if let sms {
            handlers[smsJob] = { job in
                let (message, to) = try message(job)
                try await sms.send(message.render(words(message).sms), to: try PhoneNumber(to))
            }
        }
        return handlers
    }
}
