import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus charge`: a counter payment for a Jobber invoice, through the one payment path.
struct ChargeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charge",
        abstract: "Charge a Jobber invoice on a counter terminal.",
        discussion: """
            The invoice is checked in Jobber first (payable, amount not above the balance; a client with several \
            open invoices must name one), the intent is recorded in the ledger, the invoice is checked again, and \
            only then is the terminal asked for the money. The answer is recorded with the Jobber note that says \
            the invoice was paid (pinned by `posplus serve`'s outbox).

            Without --amount the whole balance is charged. Less than the balance must be declared: --partial or \
            --deposit. Run it again with the same --key after a crash or a timeout: you get the payment made \
            under that key, never a second charge. A new key on an invoice posplus already took money on is \
            refused, naming that payment and its key; a further payment on purpose needs --split-tender. \
            If the terminal's answer was lost, the payment is "unknown" until `posplus recover` asks the \
            terminal what it recorded.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var terminal: TerminalTarget

    @Option(help: ArgumentHelp("The invoice number staff see (1043).", valueName: "number")) var invoice: String?
    @Option(help: ArgumentHelp("Charge this client's open invoice (name it with --invoice if there are several).", valueName: "id"))
    var client: String?
    @Option(help: ArgumentHelp("Take the deposit on this Jobber quote instead (all still to collect, or --amount).", valueName: "id"))
    var quote: String?
    @Option(help: ArgumentHelp("Less than the balance, e.g. 100.00 (needs --partial or --deposit).", valueName: "amount"))
    var amount: String?
    @Flag(help: "The amount is part of the balance.") var partial = false
    @Flag(help: "The amount is a deposit taken up front.") var deposit = false
    @Flag(help: "Another payment on an invoice (or quote) posplus already took money on, on purpose (split tender).")
    var splitTender = false
    @Flag(help: "The card number is keyed on the terminal's own keypad (phone order).") var keyed = false
    @Flag(help: "A bank debit (ACH) keyed on the terminal; pending until it settles.") var ach = false
    @Option(
        help: ArgumentHelp(
            "Charge this saved card, or debit this saved bank account (see `posplus card list`), instead of one presented.",
            valueName: "id"))
    var card: Int64?
    @Option(help: "The idempotency key; reuse it to retry safely (a new one is made and printed if not given).") var key: String?
    @OptionGroup var by: OperatorOption

    func validate() throws {
        // A saved card is charged where it was saved: its terminal, or its processor.
        if card == nil { try terminal.requireOne() }
        guard (invoice != nil || client != nil) != (quote != nil) else {
            throw ValidationError("Name the invoice (--invoice NUMBER), the client (--client ID), or the quote (--quote ID).")
        }
        if quote != nil, partial || deposit || keyed || ach || card != nil {
            throw ValidationError("A deposit on a quote is taken with the card presented; give only --amount with --quote.")
        }
        guard !(partial && deposit) else { throw ValidationError("Give at most one of --partial and --deposit.") }
        guard [keyed, ach, card != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("Give at most one of --keyed, --ach and --card.")
        }
        if (partial || deposit) && amount == nil { throw ValidationError("--partial and --deposit need --amount.") }
        if let key { _ = try IdempotencyKey(key) }
        if let client { try ClientOption.check(client) }
    }

    func run() async throws {
        let app = try global.app(label: "posplus.charge")
        let (config, ledger) = (app.config, try app.ledger())
        // A saved card is charged where it was saved when no terminal is named.
        let channel: any PaymentChannel =
            if let card, !terminal.isGiven { try app.channel(forSavedCard: card) } else { try terminal.channel(in: app) }
        let service = try app.paymentService()
        // A saved bank account is debited (ACH); a saved card is charged.
        let savedKind = try card.flatMap { try ledger.card(id: $0)?.kind }
        let target: ChargeCheck<ContinuousClock>.Target =
            if let client { .client(id: client, name: client, invoiceNumber: invoice) } else { .invoiceNumber(invoice ?? "") }
        let order = PaymentService<ContinuousClock>.ChargeOrder(
            target: target, amount: try amount.map { text throws in try Money(parsing: text, currency: config.currency) },
            intent: deposit ? .deposit : partial ? .partial : .fullBalance,
            operation: savedKind == .bankAccount
                ? .achDebit : card != nil ? .tokenSale : keyed ? .keyedSale : ach ? .achDebit : deposit ? .deposit : .sale,
            savedCardID: card,
            splitTender: splitTender)
        let idempotencyKey = try IdempotencyKey(key ?? "charge-\(UUID().uuidString.lowercased())")
        print("Charging on \(channel.name) (key \(idempotencyKey); reuse it with --key to retry safely)…")
        let payment =
            if let quote {
                try await service.takeDeposit(
                    quoteID: quote, amount: order.amount, on: channel, operator: by.name, idempotencyKey: idempotencyKey,
                    splitTender: splitTender)
            } else {
                try await service.charge(order, on: channel, operator: by.name, idempotencyKey: idempotencyKey)
            }
        print(PaymentView(payment, attempts: try ledger.attempts(paymentID: payment.id)).text)
        if payment.state == .unknown { print("The terminal's answer was lost; run `posplus recover` to ask it what happened.") }
        if payment.state == .partiallyApproved {
            let due = payment.payment.amountDue
            print(
                """
                Only \(payment.captured.formatted) was approved: \(due.formatted) is still due. Take it with another card \
                or method (posplus charge … --amount \(due.decimalText) --partial --split-tender), or void this payment.
                """)
        }
    }
}

/// `posplus recover`: resolve payments whose outcome is in doubt.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Ask the terminals what happened to payments whose answer was lost.",
        discussion: """
            Every payment that was sent but not answered (or answered "unknown") is looked up on the terminal \
            it went to, by the reference it was sent under. One the terminal recorded is recorded as it was \
            (approved, declined…); one it never saw is abandoned: nothing was charged, and it can be charged \
            again. Nothing is ever charged here. Terminals come from the configuration, or from where a payment \
            taken with --tcp, --serial or --http was sent; others are listed as waiting. Payments recorded but never sent (posplus stopped \
            before asking the terminal) are abandoned after ten minutes. `posplus serve` does all this at start \
            and every minute.
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let app = try global.app(label: "posplus.recover")
        let (recovery, channels) = (try app.recovery(), try app.recoveryChannels())
        let resolutions = try await recovery.resolveInDoubt(channels: channels) + recovery.abandonStaleIntents(on: channels)
        guard !resolutions.isEmpty else {
            print("No payments in doubt.")
            return
        }
        for resolution in resolutions {
            print("Payment \(resolution.paymentID): \(resolution.state?.rawValue ?? "still in doubt") — \(resolution.message)")
        }
    }
}
