import ArgumentParser
import Bridge
import Foundation
import Ledger
import Messaging
import PosPlusCore

/// `posplus receipt …`: a payment's receipt, printed or sent to the customer.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Show or send the receipt of a payment, refund or void.",
        discussion: """
            A receipt lists the Jobber invoice's items and taxes, the payment (card brand and last \
            four, auth code, entry mode, the chip's application, AID, TVR and TSI) and the business's \
            details (business.name, business.address, business.phone).
            Examples:
              posplus receipt show 12
              posplus receipt show 12 --html > receipt-12.html
              posplus receipt send 12                     to the client's email, else their mobile
              posplus receipt send 12 --sms +15555550101
              posplus receipt pending                     ready to send (receipts.mode = suggest)
            """,
        subcommands: [Show.self, Send.self, Pending.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a payment's receipt (plain text, or HTML with --html).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The payment's id, as `posplus payments list` shows it.") var id: Int64
        @Flag(help: "Print the HTML page (printable, self-contained) instead of text.") var html = false

        func run() async throws {
            let rendered = try await global.app(label: "posplus.receipt").receiptService().show(paymentID: id)
            print(html ? rendered.html : rendered.text, terminator: "")
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a payment's receipt by email or SMS, through the outbox.",
            discussion:
                "Without --email or --sms it goes where the Jobber client prefers: their primary email, else a number that takes texts.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var by: OperatorOption
        @Argument(help: "The payment's id.") var id: Int64
        @Option(help: ArgumentHelp("Email it to this address.", valueName: "address")) var email: String?
        @Option(help: ArgumentHelp("Text it to this number.", valueName: "phone")) var sms: String?

        func validate() throws {
            guard email == nil || sms == nil else { throw ValidationError("Give at most one of --email ADDRESS or --sms PHONE.") }
            if let sms { _ = try PhoneNumber(sms) }
            if let email { _ = try EmailAddress(email) }
        }

        func run() async throws {
            let app = try global.app(label: "posplus.receipt")
            let destination: ReceiptDestination? = email.map { .email($0) } ?? sms.map { .sms($0) }
            let job = try await app.receiptService().send(paymentID: id, to: destination, by: by.name)
            _ = try await app.outboxWorker().runDueJobs()
            let after = try app.ledger().jobs().first { $0.id == job.id }
            if after?.state == .done {
                print("Receipt of payment \(id) sent\(destination.map { " to \($0.address)" } ?? " to the client").")
            } else {
                print("Receipt of payment \(id) not sent yet (\(after?.lastError ?? "queued")); `posplus serve` will retry.")
            }
        }
    }

    struct Pending: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List receipts ready for a person to send (receipts.mode = suggest), oldest first.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let waiting = try global.app(label: "posplus.receipt").ledger().receiptsWaiting()
            guard !waiting.isEmpty else {
                print("No receipts waiting to be sent.")
                return
            }
            for payment in waiting {
                let invoice = payment.invoiceNumber.map { " on invoice #\($0)" } ?? ""
                print("Payment \(payment.id): \(payment.operation.displayName.lowercased()) \(payment.captured.formatted)\(invoice)")
            }
            print("Send one with `posplus receipt send ID`.")
        }
    }
}
