import Bridge
import Hummingbird
import Ledger
import PosPlusCore

/// Cards on file: a client's list, saving the card a client presents on a terminal (through the
/// payment path, like a charge of nothing), and removing one.
struct CardRoutes: Sendable {
    let app: PosPlusApp
    let desk: PaymentDesk

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/cards", .permission(.manageCards))) { call in
                guard let client = call.query("client") else {
                    throw APIError(.badRequest, code: "invalid_request", message: "Name the client whose cards to list (?client=ID).")
                }
                let ledger = try app.ledger()
                let cards = try ledger.cards(clientID: try APIInput.jobberID(client, field: "client"))
                return call.json(Cards(cards: cards.map { CardView($0, now: ledger.now()) }))
            },
            APIEndpoint(APIRoute(.post, "/api/cards", .permission(.manageCards), idempotent: true)) { call in
                let body = try await call.body(SaveCardBody.self)
                let request = MoneyRequest(
                    order: .saveCard(clientID: try APIInput.jobberID(body.client, field: "client")),
                    terminal: try APIInput.terminalName(body.terminal))
                let payment = try await desk.perform(request, by: try call.staff, idempotencyKey: try call.idempotencyKey)
                let ledger = try app.ledger()
                let card = try app.paymentService().cardSaved(by: payment).map { CardView($0, now: ledger.now()) }
                return PaymentReply.response(payment, card: card)
            },
            APIEndpoint(APIRoute(.delete, "/api/cards/{id}", .permission(.manageCards))) { call in
                let id = try call.id(of: "card")
                let ledger = try app.ledger()
                try await app.removeSavedMethod(id: id, actor: try call.staff.name)
                guard let card = try ledger.card(id: id) else { throw LedgerError.cardNotFound(id) }
                return call.json(CardView(card, now: ledger.now()))
            },
        ]
    }

    struct Cards: Encodable { var cards: [CardView] }
}
