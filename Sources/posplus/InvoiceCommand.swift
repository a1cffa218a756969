import ArgumentParser
import Bridge
import Foundation
import HTTPClient
import Jobber
import Ledger
import PosPlusCore

/// `posplus invoice …` and `posplus quote …`: Jobber records as the charge rules see them.
struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice", abstract: "Look up Jobber invoices.", subcommands: [Show.self, List.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an invoice's status, total, balance and client.",
            discussion: "Takes the number staff see (1042) or Jobber's id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Invoice number or Jobber id.", valueName: "number-or-id")) var invoice: String
        @Flag(help: "Print JSON; amounts as exact minor units and text.") var json = false

        func run() async throws {
            let session = try JobberCLI.session(global)
            let snapshot =
                invoice.allSatisfy(\.isNumber)
                ? try await session.invoices.invoice(number: invoice) : try await session.invoices.invoice(id: invoice)
            print(json ? try JobberCLI.json(snapshot) : JobberCLI.text(snapshot))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a client's open invoices, oldest due first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's Jobber id.") var client: String
        @Flag(help: "Only invoices that can be paid (the default; kept for clarity).") var open = false

        func run() async throws {
            let session = try JobberCLI.session(global)
            let invoices = try await session.invoices.openInvoices(clientID: client)
            guard !invoices.isEmpty else {
                print("No open invoices for this client.")
                return
            }
            let rows =
                [["INVOICE", "STATUS", "TOTAL", "BALANCE", "CLIENT"]]
                + invoices.map { ["#\($0.number)", $0.status.jobberValue, $0.total.formatted, $0.balance.formatted, $0.clientName] }
            print(Formatting.table(rows))
        }
    }
}

struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quote", abstract: "Look up Jobber quotes.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a quote's status, total and deposit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Jobber quote id.", valueName: "id")) var id: String

        func run() async throws {
            let quote = try await JobberCLI.session(global).invoices.quote(id: id)
            print("Quote #\(quote.number) — \(quote.status.displayName)")
            print("  client \(quote.clientName) (\(quote.clientID))")
            print(
                "  total \(quote.total.formatted), deposit \(quote.depositAmount.formatted), still to collect \(quote.outstandingDeposit.formatted)"
            )
        }
    }
}

/// Shared wiring and output for the Jobber commands.
enum JobberCLI {
    static func session(_ global: GlobalOptions) throws -> JobberSession { try global.app(label: "posplus.jobber").jobber() }

    static func text(_ invoice: InvoiceSnapshot) -> String {
        """
        Invoice #\(invoice.number) — \(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " "))
          client \(invoice.clientName) (\(invoice.clientID))
          total \(invoice.total.formatted), balance \(invoice.balance.formatted)
          Jobber id \(invoice.id)
        """
    }

    static func json(_ invoice: InvoiceSnapshot) throws -> String {
        let value: JSONValue = .object([
            "id": .string(invoice.id), "number": .string(invoice.number), "status": .string(invoice.status.jobberValue),
            "clientID": .string(invoice.clientID), "clientName": .string(invoice.clientName),
            "total": .object([
                "minorUnits": .number(String(invoice.total.minorUnits)), "currency": .string(invoice.total.currency.code),
                "text": .string(invoice.total.formatted),
            ]),
            "balance": .object([
                "minorUnits": .number(String(invoice.balance.minorUnits)), "currency": .string(invoice.balance.currency.code),
                "text": .string(invoice.balance.formatted),
            ]),
        ])
        return value.serialized
    }
}
