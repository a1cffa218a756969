import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus plan …`: payment plans on large invoices (issue 13, part 3). Thin: the rules and
/// the schedule are ``PlanService``'s.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Propose, accept, show and cancel payment plans.",
        subcommands: [Propose.self, Accept.self, Show.self, Cancel.self])

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the plans an invoice's client can be offered, with the reason. Changes nothing.",
            discussion: """
                Options are proposed when plans.mode is suggest or auto, the balance is over plans.min_amount,
                and the client's history qualifies. Example:
                  posplus plan propose 1043
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The Jobber invoice number.", valueName: "invoice")) var invoice: String

        func run() async throws {
            let app = try global.app(label: "posplus.plan")
            let offered = try await app.planService().propose(invoiceNumber: invoice)
            PlanText.lines(offered, timeZone: app.config.reconcile.timeZone).forEach { print($0) }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a proposed option, as agreed with the client, and schedule it (or hold it for a manager).",
            discussion: """
                Each instalment is charged on the client's saved card when it falls due (the most recent
                one unless --card names another), or sent as a payment link with --sms or --email.
                Example:
                  posplus plan accept 1043 --option 2 --operator ada
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The Jobber invoice number.", valueName: "invoice")) var invoice: String
        @Option(help: "The option's number, as `plan propose` lists it.") var option: Int
        @Option(help: "The ledger id of the client's saved card to charge.") var card: Int64?
        @Option(help: "Send each instalment as a link by text to this number instead.") var sms: String?
        @Option(help: "Send each instalment as a link to this email address instead.") var email: String?
        @OptionGroup var by: OperatorOption

        func validate() throws {
            guard [card != nil, sms != nil, email != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("Give at most one of --card, --sms and --email.")
            }
        }

        func run() async throws {
            let app = try global.app(label: "posplus.plan")
            let method: NewPaymentPlan.Method? =
                if let card { .savedCard(card) } else if let sms { .link("sms:\(sms)") } else { email.map { .link("email:\($0)") } }
            let service = try app.planService()
            switch try await service.accept(invoiceNumber: invoice, option: option, method: method, by: by.name) {
            case .accepted(let plan):
                print("Plan \(plan.id) accepted and scheduled.")
                PlanText.lines(plan, try app.ledger().instalments(planID: plan.id), timeZone: app.config.reconcile.timeZone).forEach {
                    print($0)
                }
            case .waitingForManager(let plan, let approval):
                print("Plan \(plan.id) is recorded and waits for a manager: approval \(approval.id). Why: \(approval.reason)")
                print("Nothing is scheduled until a manager runs `posplus approvals approve \(approval.id)` or approves it in the console.")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a plan and its instalments, by plan id or (with a leading #) invoice number.",
            discussion: """
                Examples:
                  posplus plan show 7
                  posplus plan show '#1043'
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A plan id, or #INVOICE for an invoice's plans.", valueName: "id|#invoice")) var target: String

        func run() async throws {
            let app = try global.app(label: "posplus.plan")
            let ledger = try app.ledger()
            let plans: [PaymentPlanRecord]
            if target.hasPrefix("#") {
                plans = try ledger.plans(invoiceNumber: String(target.dropFirst()))
            } else if let id = Int64(target), let plan = try ledger.plan(id: id) {
                plans = [plan]
            } else {
                plans = try ledger.plans(invoiceNumber: target)
            }
            guard !plans.isEmpty else { throw ValidationError("No payment plan \(target) (an invoice number is written #1043).") }
            for plan in plans {
                PlanText.lines(plan, try ledger.instalments(planID: plan.id), timeZone: app.config.reconcile.timeZone).forEach { print($0) }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a plan: nothing more is charged or sent, and its instalment links still open are cancelled.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The plan's id.", valueName: "id")) var id: Int64
        @Option(help: "Why (kept in the audit log).") var reason: String?
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let app = try global.app(label: "posplus.plan")
            let plan = try await app.planService().cancel(planID: id, reason: reason, by: by.name)
            print("Plan \(plan.id) for invoice #\(plan.invoiceNumber) is cancelled; instalments already taken stand.")
        }
    }
}
