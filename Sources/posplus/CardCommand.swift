import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus card list | save`: cards saved on file (brand, last four, expiry; never a number).
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Cards saved on file.",
        discussion: """
            A card is saved at the counter: the customer presents it on the terminal, which hands posplus the \
            processor's token (and brand, last four, expiry — never the number); nothing is charged. Charge it \
            later with `posplus charge TERMINAL --invoice NUMBER --card ID`, on the same terminal, for the same \
            client's invoices only. A card the client saved with Stripe (through its hosted field or a link) is \
            kept with `posplus card add-stripe` and charged with `posplus charge --invoice NUMBER --card ID`, \
            off-session, with no terminal.
            """,
        subcommands: [List.self, Save.self, AddStripe.self])

    struct AddStripe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-stripe", abstract: "Keep on file a card the client saved with Stripe.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's Jobber id.") var client: String
        @Option(help: ArgumentHelp("The client's Stripe customer.", valueName: "cus_…")) var customer: String
        @Option(help: ArgumentHelp("The card saved on that customer.", valueName: "pm_…")) var method: String
        @OptionGroup var by: OperatorOption

        func validate() throws {
            try ClientOption.check(client)
            guard StoredMethod("\(customer)/\(method)") != nil else {
                throw ValidationError("--customer and --method take Stripe ids such as cus_123 and pm_456.")
            }
        }

        func run() async throws {
            let stored = StoredMethod(customer: customer, paymentMethod: method)
            let card = try await global.app(label: "posplus.card").gatewayCards().keep(
                stored, forClient: client, actor: by.name)
            print(
                "Card \(card.id) kept for client \(client): \(card.brand) •••• \(card.last4), expires \(Save.expiry(card)), on stripe."
            )
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save the card a client presents on the terminal.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var terminal: TerminalTarget
        @Option(help: "The client's Jobber id.") var client: String
        @Option(help: "The idempotency key; reuse it to retry safely.") var key: String?
        @OptionGroup var by: OperatorOption

        func validate() throws {
            try terminal.requireOne()
            try ClientOption.check(client)
        }

        func run() async throws {
            let app = try global.app(label: "posplus.card")
            let channel = try terminal.channel(in: app)
            let service = try app.paymentService()
            let idempotencyKey = try IdempotencyKey(key ?? "card-\(UUID().uuidString.lowercased())")
            print("Present the card on \(channel.name) (key \(idempotencyKey))…")
            let (payment, card) = try await service.saveCard(
                clientID: client, on: channel, operator: by.name, idempotencyKey: idempotencyKey)
            guard let card else {
                throw ValidationError(
                    "No card was saved: payment \(payment.id) is \(payment.state.rawValue) (\(payment.message ?? "")).")
            }
            print("Card \(card.id) saved for client \(client): \(card.brand) •••• \(card.last4), expires \(Self.expiry(card)).")
        }

        static func expiry(_ card: CardOnFileRecord) -> String { String(format: "%02d/%d", card.expiryMonth, card.expiryYear) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a client's saved cards.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's Jobber id.") var client: String

        func run() throws {
            let cards = try global.app().ledger().cards(clientID: client)
            guard !cards.isEmpty else {
                print("No saved cards for this client.")
                return
            }
            let rows =
                [["ID", "CARD", "EXPIRES", "PROCESSOR"]]
                + cards.map {
                    [
                        String($0.id), "\($0.brand.uppercased()) •••• \($0.last4)",
                        Save.expiry($0), $0.processor,
                    ]
                }
            print(Formatting.table(rows))
        }
    }
}

/// A Jobber client id given on the command line: checked before anything is recorded or sent.
enum ClientOption {
    static func check(_ client: String) throws {
        guard !client.isEmpty, client.count <= 200, client.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            !CardNumberScreen.mayHoldCardNumber(client)
        else {
            throw ValidationError("--client takes a Jobber client id (letters, digits, = + / -), and never anything like a card number.")
        }
    }
}
