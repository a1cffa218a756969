import Bridge
import Hummingbird
import Ledger
import PosPlusCore

/// Payment links from the field. A technician sees and cancels only the links they sent; a role
/// with `viewAllLinks` (front desk and up) sees and cancels any. A link over
/// `approvals.link_over` answers 202 and waits for a manager; the list shows it as held.
struct LinkRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.post, "/api/links", .permission(.sendLinks), idempotent: true)) { call in try await send(call) },
            APIEndpoint(APIRoute(.get, "/api/links", .permission(.viewOwnLinks))) { call in
                let staff = try call.staff
                let mine = call.query("mine") == "true" || !staff.role.may(.viewAllLinks)
                let ledger = try app.ledger()
                let links = try ledger.links(openOnly: call.query("open") == "true", sentBy: mine ? staff.name : nil)
                let held = try ledger.heldLinks(requestedBy: mine ? staff.name : nil)
                return call.json(Links(links: links.map(LinkView.init), held: held.map(ApprovalView.init)))
            },
            APIEndpoint(APIRoute(.get, "/api/links/{id}", .permission(.viewOwnLinks))) { call in
                call.json(LinkView(try visibleLink(call)))
            },
            APIEndpoint(APIRoute(.post, "/api/links/{id}/cancel", .permission(.sendLinks))) { call in
                let link = try visibleLink(call)
                return call.json(LinkView(try await app.paymentLinkService().cancel(linkID: link.id, operator: try call.staff.name)))
            },
        ]
    }

    struct Links: Encodable {
        var links: [LinkView]
        /// Links not sent because they wait for a manager, or a manager said no.
        var held: [ApprovalView]
    }

    /// Checked against Jobber, created at Stripe, recorded, and its message queued (serve's
    /// outbox sends it within seconds, and retries while the mail or SMS service is down). The
    /// key names the link: the same key returns it and sends nothing again. Over the threshold,
    /// 202 with the approval: nothing was created or sent.
    func send(_ call: APICall) async throws -> Response {
        do { return try await sendOrHold(call) } catch ApprovalHold.waiting(let approval) { return ApprovalReply.waiting(approval) }
    }

    private func sendOrHold(_ call: APICall) async throws -> Response {
        let body = try await call.body(LinkBody.self)
        let (staff, key) = (try call.staff, try call.idempotencyKey)
        let amount = try body.amount?.money(in: app.config.currency)
        let recipient = try body.recipient()
        let service = try app.paymentLinkService()
        let link: PaymentLinkRecord
        switch (body.invoice, body.quote) {
        case (let number?, nil):
            link = try await service.send(
                invoiceNumber: try APIInput.invoiceNumber(number), amount: amount, to: recipient, operator: staff.name, idempotencyKey: key)
        case (nil, let quote?):
            link = try await service.sendDeposit(
                quoteID: try APIInput.jobberID(quote, field: "quote"), amount: amount, to: recipient, operator: staff.name,
                idempotencyKey: key)
        default:
            throw ChargeBody.refusal("Name the invoice (\"invoice\": \"1043\") or the quote (\"quote\") the link is for, one of the two.")
        }
        return call.json(LinkView(link))
    }

    /// The link named in the path, if the caller may see it: their own, or any with `viewAllLinks`.
    func visibleLink(_ call: APICall) throws -> PaymentLinkRecord {
        let id = try call.id(of: "link")
        guard let link = try app.ledger().link(id: id) else { throw LedgerError.linkNotFound("\(id)") }
        let staff = try call.staff
        guard staff.role.may(.viewAllLinks) || link.sentBy?.lowercased() == staff.name.lowercased() else {
            throw APIError(
                .forbidden, code: "not_your_link",
                message: "Link \(id) was sent by someone else; a \(staff.role) login sees only the links it sent.")
        }
        return link
    }
}
