import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore

/// A payment's receipt: shown (plain text and a self-contained HTML page, in one JSON answer,
/// so a script and the console's printable page read the same thing) and sent to the customer
/// through the outbox.
struct ReceiptRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/payments/{id}/receipt", .permission(.viewPayments))) { call in
                let rendered = try await app.receiptService().show(paymentID: try call.id(of: "payment"))
                return call.json(
                    ReceiptView(
                        payment: rendered.receipt.paymentID, kind: rendered.receipt.kind.rawValue, text: rendered.text,
                        html: rendered.html))
            },
            APIEndpoint(APIRoute(.post, "/api/payments/{id}/receipt/send", .permission(.viewPayments))) { call in
                let id = try call.id(of: "payment")
                let body = try await call.body(ReceiptSendBody.self)
                let job = try await app.receiptService().send(paymentID: id, to: try body.destination(), by: try call.staff.name)
                // Sent by serve's outbox within seconds; the job's id lets a script follow it.
                return call.json(ReceiptQueued(payment: id, job: job.id, state: job.state.rawValue), status: .accepted)
            },
        ]
    }

    struct ReceiptView: Encodable {
        var payment: Int64
        var kind: String
        var text: String
        var html: String
    }

    struct ReceiptQueued: Encodable {
        var payment: Int64
        var job: Int64
        var state: String
    }
}

/// `POST /api/payments/{id}/receipt/send`: `{}` for the client's preferred channel, or one of
/// `email` and `sms`.
struct ReceiptSendBody: StrictBody {
    var email: String?
    var sms: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case email, sms }

    func destination() throws -> ReceiptDestination? {
        switch (email, sms) {
        case (nil, nil): return nil
        case (let address?, nil): return .email(address)
        case (nil, let phone?): return .sms(phone)
        default: throw ChargeBody.refusal("Give at most one of \"email\" or \"sms\"; none sends where the client prefers.")
        }
    }
}
