import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore

/// A request held for a manager, as the API shows it.
struct ApprovalView: Encodable {
    var id: Int64
    var state: String
    var kind: String
    var summary: String
    var reason: String
    var amount: AmountView
    var paymentID: Int64?
    var invoiceNumber: String?
    var requestedBy: String
    var requestedAt: Date
    var decidedBy: String?
    var decidedAt: Date?
    var note: String?
    /// The payment the approved request made, once it ran.
    var resultPaymentID: Int64?
    /// The payment link an approved link request sent.
    var resultLinkID: Int64?

    init(_ record: ApprovalRecord) {
        id = record.id
        state = record.state.rawValue
        kind = record.kind.rawValue
        summary = record.summary
        reason = record.reason
        amount = AmountView(record.amount)
        paymentID = record.paymentID
        invoiceNumber = record.invoiceNumber
        requestedBy = record.requestedBy
        requestedAt = record.requestedAt
        decidedBy = record.decidedBy
        decidedAt = record.decidedAt
        note = record.note
        resultPaymentID = record.resultPaymentID
        resultLinkID = record.resultLinkID
    }
}

/// 202 for a money request a threshold held: nothing was sent; the approval says why and who
/// may decide. The same request under the same key answers the same until it is decided.
enum ApprovalReply {
    struct Body: Encodable {
        var error: PaymentReply.Problem
        var approval: ApprovalView
    }

    static func waiting(_ approval: ApprovalRecord) -> Response {
        APIJSON.response(
            .accepted,
            Body(
                error: PaymentReply.Problem(code: "approval_required", message: ApprovalHold.waiting(approval).description),
                approval: ApprovalView(approval)))
    }
}

/// The approvals queue: managers list, read, approve (which runs the request as asked, under the
/// key it was held with: a payment through the payment path, a link through the link service)
/// and deny. The approver is the logged-in
/// person; the ledger refuses the requester deciding their own request.
struct ApprovalRoutes: Sendable {
    let app: PosPlusApp

    /// `POST /api/approvals/{id}/approve|deny`: why, for the audit log.
    struct DecisionBody: StrictBody {
        var note: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case note }
    }
    struct Approvals: Encodable { var approvals: [ApprovalView] }
    struct Decided: Encodable {
        var approval: ApprovalView
        var payment: PaymentView?
        var link: LinkView?
        /// What an approved request did when it made neither a payment nor a link.
        var outcome: String? = nil
        /// The payment plan an approved plan request scheduled.
        var planID: Int64? = nil
    }

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/approvals", .permission(.approve))) { call in
                let state: ApprovalRecord.State?
                switch call.query("state") ?? "waiting" {
                case "all": state = nil
                case let text:
                    guard let known = ApprovalRecord.State(rawValue: text) else {
                        throw APIError(
                            .badRequest, code: "invalid_parameter", message: "state is waiting, approved, denied or all, not \(text).")
                    }
                    state = known
                }
                return call.json(Approvals(approvals: try app.ledger().approvals(state: state).map(ApprovalView.init)))
            },
            APIEndpoint(APIRoute(.get, "/api/approvals/{id}", .permission(.viewPayments))) { call in
                let id = try call.id(of: "approval")
                guard let record = try app.ledger().approval(id: id) else { throw LedgerError.approvalNotFound(id) }
                return call.json(ApprovalView(record))
            },
            APIEndpoint(APIRoute(.post, "/api/approvals/{id}/approve", .permission(.approve))) { call in
                let id = try call.id(of: "approval")
                let note = try Self.note(try await call.body(DecisionBody.self).note)
                let (record, result) = try await app.approvalDesk().approveAndRun(id, by: try call.staff.name, note: note)
                switch result {
                case .payment(let payment):
                    let (status, _) = PaymentReply.outcome(payment)
                    return call.json(
                        Decided(approval: ApprovalView(record), payment: PaymentView(payment)), status: status == .ok ? .ok : status)
                case .link(let link):
                    return call.json(Decided(approval: ApprovalView(record), payment: nil, link: LinkView(link)))
                case .noted(let outcome):
                    return call.json(Decided(approval: ApprovalView(record), payment: nil, link: nil, outcome: outcome))
                case .plan(let plan):
                    return call.json(Decided(approval: ApprovalView(record), payment: nil, link: nil, planID: plan.id))
                }
            },
            APIEndpoint(APIRoute(.post, "/api/approvals/{id}/deny", .permission(.approve))) { call in
                let id = try call.id(of: "approval")
                let note = try Self.note(try await call.body(DecisionBody.self).note)
                let record = try app.approvalDesk().deny(id, by: try call.staff.name, note: note)
                return call.json(Decided(approval: ApprovalView(record), payment: nil, link: nil))
            },
        ]
    }

    /// A note is free text kept in the audit log: checked here, before anything is decided.
    static func note(_ text: String?) throws -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard text.count <= 500, !text.contains(where: { $0.isNewline }), !CardNumberScreen.containsCardNumber(text) else {
            throw APIError(
                .badRequest, code: "invalid_note",
                message: "A note is one line of up to 500 characters, and never a card number.")
        }
        return text
    }
}
