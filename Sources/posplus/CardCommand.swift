import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus card list | save | add-stripe | remove`: cards and bank accounts saved on file
/// (brand or bank, last four, expiry; never a number).
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Cards and bank accounts saved on file.",
        discussion: """
            A card is saved at the counter: the customer presents it on the terminal, which hands posplus the \
            processor's token (and brand, last four, expiry — never the number); nothing is charged. Charge it \
            later with `posplus charge TERMINAL --invoice NUMBER --card ID`, on the same terminal, for the same \
            client's invoices only. A card the client saved with Stripe (through its hosted field or a link) is \
            kept with `posplus card add-stripe` and charged with `posplus charge --invoice NUMBER --card ID`, \
            off-session, with no terminal. A bank account the client saved with Stripe, accepting debits (a \
            mandate), is kept the same way with --mandate; `posplus charge --card ID` then debits it (ACH), \
            pending until the bank answers. `posplus card remove ID` takes either off file (and off Stripe).
            """,
        subcommands: [List.self, Save.self, AddStripe.self, Remove.self])

    struct AddStripe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-stripe", abstract: "Keep on file a card or bank account the client saved with Stripe.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's Jobber id.") var client: String
        @Option(help: ArgumentHelp("The client's Stripe customer.", valueName: "cus_…")) var customer: String
        @Option(help: ArgumentHelp("The card or bank account saved on that customer.", valueName: "pm_…")) var method: String
        @Option(help: ArgumentHelp("For a bank account: the debit mandate the customer accepted.", valueName: "mandate_…"))
        var mandate: String?
        @OptionGroup var by: OperatorOption

        func validate() throws {
            try ClientOption.check(client)
            guard StoredMethod("\(customer)/\(method)") != nil, mandate.map(StoredMethod.isIdentifier) ?? true else {
                throw ValidationError("--customer, --method and --mandate take Stripe ids such as cus_123, pm_456 and mandate_789.")
            }
        }

        func run() async throws {
            let stored = StoredMethod(customer: customer, paymentMethod: method, mandate: mandate)
            let card = try await global.app(label: "posplus.card").gatewayCards().keep(
                stored, forClient: client, actor: by.name)
            print(
                "\(card.kind == .card ? "Card" : "Bank account") \(card.id) kept for client \(client): \(Save.describe(card)), on stripe.")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a saved card or bank account off file (and off the processor that saved it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The saved card's id (see `posplus card list`).") var id: Int64
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let card = try await global.app(label: "posplus.card").removeSavedMethod(id: id, actor: by.name)
            print("Removed \(Save.describe(card)) (\(card.id)); it will not be charged again.")
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
            print("Card \(card.id) saved for client \(client): \(Self.describe(card)).")
        }

        /// "12/2031", or "—" for a bank account, which does not expire.
        static func expiry(_ card: CardOnFileRecord) -> String {
            guard let month = card.expiryMonth, let year = card.expiryYear else { return "—" }
            return String(format: "%02d/%d", month, year)
        }

        /// "VISA •••• 4242, expires 12/2031" or "STRIPE TEST BANK •••• 6789 (bank account)".
        static func describe(_ card: CardOnFileRecord) -> String {
            "\(card.brand) •••• \(card.last4)" + (card.kind == .card ? ", expires \(expiry(card))" : " (bank account)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a client's saved cards and bank accounts.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's Jobber id.") var client: String

        func run() throws {
            let cards = try global.app().ledger().cards(clientID: client)
            guard !cards.isEmpty else {
                print("No saved cards or bank accounts for this client.")
                return
            }
            let rows =
                [["ID", "CARD", "EXPIRES", "PROCESSOR"]]
                + cards.map {
                    [
                        String($0.id), "\($0.brand.uppercased()) •••• \($0.last4)" + ($0.kind == .bankAccount ? " (bank)" : ""),
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
