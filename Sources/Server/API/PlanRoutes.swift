import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore
import Receivables

/// Payment plans: what an invoice's client can be offered (with the reason), accepting one as
/// agreed with the client, and a plan's instalments as they stand. Parse, call ``PlanService``,
/// shape the reply: no plan rule lives here.
struct PlanRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/invoices/{number}/plans", .permission(.lookUpInvoices))) { call in
                let number = try APIInput.invoiceNumber(try call.parameter("number"), field: "number")
                return call.json(ProposalsView(try await app.planService().propose(invoiceNumber: number)))
            },
            APIEndpoint(APIRoute(.post, "/api/plans", .permission(.chargeCard))) { call in
                let body = try await call.body(PlanAcceptBody.self)
                let number = try APIInput.invoiceNumber(body.invoiceNumber, field: "invoiceNumber")
                let ledger = try app.ledger()
                switch try await app.planService().accept(
                    invoiceNumber: number, option: body.option, method: try body.method(), by: try call.staff.name)
                {
                case .accepted(let plan):
                    return call.json(PlanView(plan, try ledger.instalments(planID: plan.id)), status: .created)
                case .waitingForManager(let plan, let approval):
                    return call.json(
                        PlanHeld(plan: PlanView(plan, try ledger.instalments(planID: plan.id)), approval: ApprovalView(approval)),
                        status: .accepted)
                }
            },
            APIEndpoint(APIRoute(.get, "/api/plans/{id}", .permission(.viewPayments))) { call in
                let id = try call.id(of: "plan")
                let ledger = try app.ledger()
                guard let plan = try ledger.plan(id: id) else {
                    throw APIError(.notFound, code: "not_found", message: "There is no payment plan \(id).")
                }
                return call.json(PlanView(plan, try ledger.instalments(planID: id)))
            },
        ]
    }

    struct PlanHeld: Encodable {
        var plan: PlanView
        var approval: ApprovalView
    }
}

/// `POST /api/plans`: the option staff agreed with the client, and how it is paid (nothing:
/// the client's most recent saved card; or one of `card`, `sms`, `email`).
struct PlanAcceptBody: StrictBody {
    var invoiceNumber: String
    var option: Int
    var card: Int64?
    var sms: String?
    var email: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case invoiceNumber, option, card, sms, email }

    func method() throws -> NewPaymentPlan.Method? {
        switch (card, sms, email) {
        case (nil, nil, nil): return nil
        case (let card?, nil, nil): return .savedCard(card)
        case (nil, let phone?, nil): return .link("sms:\(phone)")
        case (nil, nil, let address?): return .link("email:\(address)")
        default: throw ChargeBody.refusal("Give at most one of \"card\", \"sms\" and \"email\".")
        }
    }
}

/// What is proposed for an invoice.
struct ProposalsView: Encodable {
    var invoiceNumber: String
    var clientName: String
    var balance: AmountView
    var qualifies: Bool
    var reason: String
    var needsManager: Bool
    var options: [Option]

    struct Option: Encodable {
        var number: Int
        var kind: String
        var summary: String
        var instalments: [Instalment]
    }

    struct Instalment: Encodable {
        var number: Int
        var amount: AmountView
        var dueAt: Date
    }

    init<C>(_ offered: PlanService<C>.Proposal) {
        invoiceNumber = offered.invoice.number
        clientName = offered.invoice.clientName
        balance = AmountView(offered.invoice.balance)
        qualifies = offered.proposal.qualifies
        reason = offered.proposal.reason
        needsManager = offered.needsManager
        options = offered.proposal.options.map { option in
            Option(
                number: option.number, kind: option.kind.rawValue, summary: option.summary,
                instalments: option.instalments.map { Instalment(number: $0.number, amount: AmountView($0.amount), dueAt: $0.dueAt) })
        }
    }
}

/// A recorded plan and its instalments.
struct PlanView: Encodable {
    var id: Int64
    var invoiceNumber: String
    var clientName: String
    var state: String
    var total: AmountView
    var option: Int
    var summary: String
    var reason: String
    var createdBy: String
    var createdAt: Date
    var decidedBy: String?
    var approvalID: Int64?
    var endedReason: String?
    var instalments: [Instalment]

    struct Instalment: Encodable {
        var number: Int
        var amount: AmountView
        var dueAt: Date
        var state: String
        var savedCardID: Int64?
        var linkRecipient: String?
        var paymentID: Int64?
        var linkID: Int64?
        var note: String?
    }

    init(_ plan: PaymentPlanRecord, _ instalments: [PlanInstalmentRecord]) {
        id = plan.id
        invoiceNumber = plan.invoiceNumber
        clientName = plan.clientName
        state = plan.state.rawValue
        total = AmountView(plan.total)
        option = plan.optionNumber
        summary = plan.optionSummary
        reason = plan.reason
        createdBy = plan.createdBy
        createdAt = plan.createdAt
        decidedBy = plan.decidedBy
        approvalID = plan.approvalID
        endedReason = plan.endedReason
        self.instalments = instalments.map {
            Instalment(
                number: $0.number, amount: AmountView($0.amount), dueAt: $0.dueAt, state: $0.state.rawValue, savedCardID: $0.savedCardID,
                linkRecipient: $0.linkRecipient, paymentID: $0.paymentID, linkID: $0.linkID, note: $0.note)
        }
    }
}
