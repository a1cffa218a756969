import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus approvals list | show | approve | deny`: requests over a threshold, waiting for a
/// manager (config `approvals.*`).
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "Refunds, voids, charges and payment links that wait for a manager.",
        discussion: """
            A request over a configured threshold (approvals.refund_over, approvals.void_older_than, \
            approvals.keyed_over, approvals.link_over) or held by the risk signals (risk.mode) is recorded \
            and waits: nothing is sent. A manager or owner on the staff \
            list who did not ask for it approves it here or in the console; it then runs exactly as asked, \
            through the same payment path, and is recorded as the requester's payment with the decision \
            in the audit log. Approving again after an interruption carries on the same payment.
            """,
        subcommands: [List.self, Show.self, Approve.self, Deny.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Requests waiting for a decision (--all: every request).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Also the approved and denied ones.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let records = try global.app(label: "posplus.approvals").ledger().approvals(state: all ? nil : .waiting)
            if json {
                print("[" + records.map(ApprovalsCLI.json).joined(separator: ",") + "]")
                return
            }
            guard !records.isEmpty else {
                print(all ? "No approval requests." : "Nothing waits for a manager.")
                return
            }
            for record in records { print(ApprovalsCLI.line(record)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One request: what, why, who asked and who decided.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The approval's id.", valueName: "id")) var id: Int64

        func run() async throws {
            guard let record = try global.app(label: "posplus.approvals").ledger().approval(id: id) else {
                throw LedgerError.approvalNotFound(id)
            }
            print(ApprovalsCLI.detail(record))
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a request and run it as asked.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The approval's id.", valueName: "id")) var id: Int64
        @Option(help: "Why (kept in the audit log).") var note: String?
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let app = try global.app(label: "posplus.approvals")
            let (record, result) = try await app.approvalDesk().approveAndRun(id, by: by.name, note: note)
            print("Approval \(record.id) approved by \(record.decidedBy ?? by.name); \(record.summary) ran:")
            switch result {
            case .payment(let payment): print(PaymentView(payment, attempts: try app.ledger().attempts(paymentID: payment.id)).text)
            case .link(let link): try await LinkCLI.deliver(link, app: app)
            case .noted(let outcome): print(outcome)
            case .plan(let plan):
                print("Plan \(plan.id) for invoice #\(plan.invoiceNumber) is \(plan.state.rawValue); its instalments are scheduled.")
            }
        }
    }

    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deny a request: it never runs.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The approval's id.", valueName: "id")) var id: Int64
        @Option(help: "Why (shown to the requester, kept in the audit log).") var note: String?
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let record = try global.app(label: "posplus.approvals").approvalDesk().deny(id, by: by.name, note: note)
            print("Approval \(record.id) denied by \(record.decidedBy ?? by.name): \(record.summary) will not run.")
        }
    }
}

enum ApprovalsCLI {
    static func line(_ record: ApprovalRecord) -> String {
        "#\(record.id)  \(record.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(record.summary)  "
            + "asked by \(record.requestedBy)" + (record.decidedBy.map { ", decided by \($0)" } ?? "")
    }

    static func detail(_ record: ApprovalRecord) -> String {
        var lines = [
            "Approval \(record.id): \(record.state.rawValue)",
            "  Request:   \(record.summary)",
            "  Why:       \(record.reason)",
            "  Asked by:  \(record.requestedBy) at \(record.requestedAt.formatted(.iso8601))",
        ]
        if let decider = record.decidedBy, let time = record.decidedAt {
            lines.append("  Decided:   \(record.state.rawValue) by \(decider) at \(time.formatted(.iso8601))")
        }
        if let note = record.note { lines.append("  Note:      \(note)") }
        if let payment = record.resultPaymentID { lines.append("  Payment:   \(payment) (posplus payments show \(payment))") }
        if let link = record.resultLinkID { lines.append("  Link:      \(link) (posplus link show \(link))") }
        return lines.joined(separator: "\n")
    }

    static func json(_ record: ApprovalRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? String(decoding: encoder.encode(record), as: UTF8.self)) ?? "{}"
    }
}
