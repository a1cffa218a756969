import ArgumentParser
import Bridge
import Foundation
import HTTPClient
import Ledger
import Messaging
import PosPlusCore

/// `posplus link …`: payment links a customer opens to pay a Jobber invoice or a quote's deposit.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Send, list, show and cancel payment links.",
        discussion: """
            A link is checked against the Jobber invoice first (payable, amount not above the balance), or for a \
            deposit against the quote (sent or approved, amount not above the deposit still to collect), created \
            at Stripe for one payment, recorded in the ledger, and delivered by email or SMS through the outbox: \
            if the mail server or SMS service is down, `posplus serve` keeps retrying. When the customer pays, \
            Stripe's webhook marks the link paid. A link over approvals.link_over waits for a manager (exit status 3, \
            nothing sent); once approved (`posplus approvals approve ID`) it is sent as asked.
            """,
        subcommands: [Send.self, List.self, Show.self, Cancel.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a link for a Jobber invoice, or for a quote's deposit, by SMS or email.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The invoice number staff see (1042).", valueName: "number")) var invoice: String?
        @Option(help: ArgumentHelp("Collect the deposit on this Jobber quote id instead of an invoice.", valueName: "id"))
        var quote: String?
        @Option(
            help: ArgumentHelp(
                "Ask for less than the balance (a partial payment) or than the deposit still to collect, e.g. 100.00.", valueName: "amount")
        )
        var amount: String?
        @Option(help: ArgumentHelp("Text the link to this phone number.", valueName: "phone")) var sms: String?
        @Option(help: ArgumentHelp("Email the link to this address.", valueName: "address")) var email: String?
        @Option(help: "The idempotency key; reuse it to retry safely (a new one is made and printed if not given).") var key: String?
        @OptionGroup var by: OperatorOption

        func validate() throws {
            guard (invoice == nil) != (quote == nil) else { throw ValidationError("Give exactly one of --invoice NUMBER or --quote ID.") }
            guard (sms == nil) != (email == nil) else { throw ValidationError("Give exactly one of --sms PHONE or --email ADDRESS.") }
            if let sms { _ = try PhoneNumber(sms) }
            if let email { _ = try EmailAddress(email) }
            if let key { _ = try IdempotencyKey(key) }
        }

        func run() async throws {
            let app = try global.app(label: "posplus.link")
            let (config, service) = (app.config, try app.paymentLinkService())
            let idempotencyKey = try IdempotencyKey(key ?? "link-\(UUID().uuidString.lowercased())")
            print("Sending (key \(idempotencyKey); reuse it with --key to retry safely)…")
            let requested = try amount.map { text throws in try Money(parsing: text, currency: config.currency) }
            let recipient: PaymentLinkService<ContinuousClock>.Recipient =
                if let sms { .sms(try PhoneNumber(sms)) } else { .email(try EmailAddress(email ?? "")) }
            let link =
                if let quote {
                    try await service.sendDeposit(
                        quoteID: quote, amount: requested, to: recipient, operator: by.name, idempotencyKey: idempotencyKey)
                } else {
                    try await service.send(
                        invoiceNumber: invoice ?? "", amount: requested, to: recipient, operator: by.name, idempotencyKey: idempotencyKey)
                }
            try await LinkCLI.deliver(link, app: app)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List payment links, newest first.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only links not yet paid or cancelled.") var open = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let links = try global.app().ledger().links(openOnly: open)
            if json {
                print("[" + links.map(LinkCLI.json).joined(separator: ",") + "]")
                return
            }
            guard !links.isEmpty else {
                print(open ? "No open links." : "No links yet.")
                return
            }
            let rows =
                [["ID", "STATE", "FOR", "AMOUNT", "URL"]]
                + links.map { [String($0.id), $0.state.rawValue, LinkCLI.purpose($0), LinkCLI.amount($0), $0.url] }
            print(Formatting.table(rows))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one link and, once paid, its payment.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The link's id.") var id: Int64

        func run() throws {
            let ledger = try global.app().ledger()
            guard let link = try ledger.link(id: id) else { throw ValidationError("No link \(id).") }
            print("Link \(id) — \(link.state.rawValue)")
            print("  \(LinkCLI.purpose(link)), \(LinkCLI.amount(link))")
            print("  \(link.url)")
            print("  Stripe \(link.processorLinkID), reference \(link.reference)")
            if let paymentID = link.paymentID, let payment = try ledger.payment(id: paymentID) {
                print("  paid by payment \(paymentID) (\(payment.state.rawValue))")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a link from taking payments.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The link's id.") var id: Int64
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let service = try global.app(label: "posplus.link").paymentLinkService()
            let link = try await service.cancel(linkID: id, operator: by.name)
            print("Link \(id) cancelled; \(link.url) no longer takes payments.")
        }
    }
}

enum LinkCLI {
    /// Prints the link, then tries its message now rather than leaving it to `posplus serve`.
    static func deliver(_ link: PaymentLinkRecord, app: PosPlusApp) async throws {
        print("Link \(link.id) for \(purpose(link)), \(amount(link)): \(link.url)")
        _ = try await app.outboxWorker().runDueJobs()
        let job = try app.ledger().jobs().last { $0.dedupeKey.hasSuffix(link.reference) }
        let sent = job?.kind == LinkDelivery.smsJob ? "Texted" : "Emailed"
        if job?.state == .done, let payload = job?.payload, let to = try? JSONValue.parse(Array(payload.utf8))["to"]?.string {
            print("\(sent) to \(to).")
        } else {
            print("Not delivered yet (\(job?.lastError ?? "queued")); `posplus serve` will retry.")
        }
    }

    /// "invoice #1043" or "deposit on quote #78".
    static func purpose(_ link: PaymentLinkRecord) -> String {
        if let invoice = link.invoiceNumber ?? link.invoiceID { return "invoice #\(invoice)" }
        return "deposit on quote #\(link.quoteNumber ?? link.quoteID ?? "-")"
    }

    static func amount(_ link: PaymentLinkRecord) -> String {
        link.amount.formatted
    }

    static func json(_ link: PaymentLinkRecord) -> String {
        let fields: [(String, String)] = [
            ("id", String(link.id)), ("state", "\"\(link.state.rawValue)\""),
            ("invoiceNumber", link.invoiceNumber.map { "\"\($0)\"" } ?? "null"),
            ("currency", "\"\(link.currency.code)\""), ("amountMinor", String(link.amountMinor)), ("url", JSONText.quote(link.url)),
            ("paymentID", link.paymentID.map(String.init) ?? "null"),
            ("quoteID", link.quoteID.map(JSONText.quote) ?? "null"), ("quoteNumber", link.quoteNumber.map(JSONText.quote) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
