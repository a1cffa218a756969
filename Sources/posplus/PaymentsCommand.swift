import ArgumentParser
import Foundation
import Ledger
import PosPlusCore

/// `posplus payments …`: what the ledger holds.
struct Payments: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and inspect payments in the ledger.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List payments, newest first.",
            discussion: """
                Examples:
                  posplus payments list --state unknown     payments whose outcome must be looked up
                  posplus payments list --json --limit 500  for scripts and spreadsheets
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table; amounts as exact minor units and decimal text.")
        var json = false

        @Option(
            help: ArgumentHelp(
                "Only payments in this state (repeatable).",
                discussion: "One of: \(PaymentState.allCases.map(\.rawValue).joined(separator: ", ")).",
                valueName: "state"))
        var state: [PaymentState] = []

        @Option(help: "At most this many payments.")
        var limit = 50

        func validate() throws {
            guard (1...100_000).contains(limit) else {
                throw ValidationError("--limit must be between 1 and 100000, not \(limit).")
            }
        }

        func run() throws {
            let payments = try global.app().ledger().payments(states: state.isEmpty ? nil : Set(state), limit: limit)
            if json {
                print(try PaymentView.json(payments.map { PaymentView($0) }))
                return
            }
            guard !payments.isEmpty else {
                print("No payments in the ledger yet.")
                return
            }
            var rows = [["ID", "CREATED", "OPERATION", "STATE", "AMOUNT", "INVOICE", "CARD", "AUTH"]]
            for payment in payments {
                let view = PaymentView(payment)
                rows.append([
                    String(view.id), Formatting.timestamp(payment.createdAt), payment.operation.displayName,
                    payment.state.rawValue, view.requested.text, payment.invoiceNumber.map { "#\($0)" } ?? "-",
                    view.card ?? "-", payment.authCode ?? "-",
                ])
            }
            print(Formatting.table(rows))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one payment with its attempts and audit trail.",
            discussion: "ID is the ledger id, an attempt's reference (as printed by the terminal) or the idempotency key.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Ledger id, reference or idempotency key.", valueName: "id"))
        var identifier: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let ledger = try global.app().ledger()
            guard let payment = try find(in: ledger) else {
                throw ValidationError("No payment \"\(identifier)\" in the ledger (tried id, reference and idempotency key).")
            }
            let attempts = try ledger.attempts(paymentID: payment.id)
            if json {
                print(try PaymentView.json(PaymentView(payment, attempts: attempts, disputes: try ledger.disputes(paymentID: payment.id))))
                return
            }
            print(PaymentView(payment, attempts: attempts).text)
            for dispute in try ledger.disputes(paymentID: payment.id) { print(DisputesCommand.line(dispute, payment: payment)) }
            let events = try ledger.auditEvents(paymentID: payment.id)
            if !events.isEmpty {
                print("\nAudit trail:")
                for event in events {
                    print(
                        "  #\(event.seq)  \(Formatting.timestamp(millis: event.atMillis))  \(event.kind)  by \(event.actor)  \(event.detail)"
                    )
                }
            }
        }

        private func find(in ledger: Ledger) throws -> PaymentRecord? {
            if let id = Int64(identifier), let payment = try ledger.payment(id: id) { return payment }
            if let reference = try? PaymentReference(identifier), let payment = try ledger.payment(reference: reference) {
                return payment
            }
            if let key = try? IdempotencyKey(identifier) { return try ledger.payment(idempotencyKey: key) }
            return nil
        }
    }
}

extension PaymentState: ExpressibleByArgument {}
