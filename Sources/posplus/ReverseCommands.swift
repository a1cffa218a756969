import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus void ID` and `posplus refund ID`: money back on an earlier payment, on the terminal
/// that took it, through the same payment path as a charge.
struct VoidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: "Cancel a whole payment before its batch settles.",
        discussion: """
            The customer is never charged. Goes to the terminal that took the payment (its configured name is \
            recorded on the payment), or to the one you name. After the batch has settled, refund instead.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The payment's ledger id.", valueName: "id")) var paymentID: Int64
    @OptionGroup var terminal: TerminalTarget
    @Option(help: "The idempotency key; reuse it to retry safely.") var key: String?
    @OptionGroup var by: OperatorOption

    func run() async throws {
        try await ReversalCLI.run(
            .void, paymentID: paymentID, terminal: terminal, key: key, operator: by.name, global: global, verb: "Voiding")
    }
}

struct RefundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Give back all or part of a payment.",
        discussion: """
            Without --amount, everything still refundable is given back. Refunds can be repeated (a split \
            refund) until the captured amount is reached; posplus refuses more, counting refunds still in flight.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The payment's ledger id.", valueName: "id")) var paymentID: Int64
    @OptionGroup var terminal: TerminalTarget
    @Option(help: ArgumentHelp("Give back only this much, e.g. 50.00.", valueName: "amount")) var amount: String?
    @Option(help: "The idempotency key; reuse it to retry safely.") var key: String?
    @OptionGroup var by: OperatorOption

    func run() async throws {
        let currency = try global.app().config.currency
        let requested = try amount.map { text throws in try Money(parsing: text, currency: currency) }
        try await ReversalCLI.run(
            .refund(requested), paymentID: paymentID, terminal: terminal, key: key, operator: by.name, global: global,
            verb: "Refunding")
    }
}

enum ReversalCLI {
    static func run(
        _ reversal: PaymentService<ContinuousClock>.Reversal, paymentID: Int64, terminal: TerminalTarget, key: String?,
        operator actor: String, global: GlobalOptions, verb: String
    ) async throws {
        let app = try global.app(label: "posplus.reverse")
        let ledger = try app.ledger()
        guard let original = try ledger.payment(id: paymentID) else { throw ValidationError("No payment \(paymentID) in the ledger.") }
        // The terminal named, else where the payment was taken; Jobber is not asked at all.
        let channel: any PaymentChannel = terminal.isGiven ? try terminal.channel(in: app) : try app.channel(thatTook: original)
        let service = try app.paymentService()
        let idempotencyKey = try IdempotencyKey(key ?? "reverse-\(UUID().uuidString.lowercased())")
        print("\(verb) payment \(paymentID) on \(channel.name) (key \(idempotencyKey); reuse it with --key to retry safely)…")
        let payment = try await service.reverse(
            paymentID: paymentID, reversal, on: channel, operator: actor, idempotencyKey: idempotencyKey)
        print(PaymentView(payment, attempts: try ledger.attempts(paymentID: payment.id)).text)
        if let updated = try ledger.payment(id: paymentID) {
            print("Payment \(paymentID) is now \(updated.state.rawValue).")
        }
    }
}
