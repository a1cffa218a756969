import Bridge
import Hummingbird
import PosPlusCore

/// The routes that move money: a charge (every kind), a void, a refund. Each parses what staff
/// sent into a ``MoneyRequest`` and hands it to the ``PaymentDesk``; the answer is the payment as
/// recorded (``PaymentReply``). No rule is checked here that the payment path checks itself.
struct ChargeRoutes: Sendable {
    let app: PosPlusApp
    let desk: PaymentDesk

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.post, "/api/charges", .permission(.chargeCard), idempotent: true)) { call in
                let request = try await call.body(ChargeBody.self).request(currency: app.config.currency)
                return try await desk.respond(request, by: try call.staff, idempotencyKey: try call.idempotencyKey)
            },
            APIEndpoint(APIRoute(.post, "/api/payments/{id}/void", .permission(.void), idempotent: true)) { call in
                let paymentID = try call.id(of: "payment")
                let body = try await call.body(VoidBody.self)
                let request = MoneyRequest(
                    order: .reversal(paymentID: paymentID, .void), terminal: try body.terminal.map(APIInput.terminalName))
                return try await desk.respond(request, by: try call.staff, idempotencyKey: try call.idempotencyKey)
            },
            APIEndpoint(APIRoute(.post, "/api/payments/{id}/refunds", .permission(.refund), idempotent: true)) { call in
                let paymentID = try call.id(of: "payment")
                let body = try await call.body(RefundBody.self)
                let amount = try body.amount?.money(in: app.config.currency)
                let request = MoneyRequest(
                    order: .reversal(paymentID: paymentID, .refund(amount)), terminal: try body.terminal.map(APIInput.terminalName))
                return try await desk.respond(request, by: try call.staff, idempotencyKey: try call.idempotencyKey)
            },
        ]
    }
}
