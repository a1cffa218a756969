import Bridge
import Foundation
import Hummingbird
import Ledger
import PosPlusCore

/// What staff ask the API to do with money, before it becomes a call on the payment path:
/// the order (as the CLI builds it) and the terminal it should run on, if they named one.
struct MoneyRequest: Sendable {
    typealias Order = PaymentService<ContinuousClock>.Order

    var order: Order
    /// A configured terminal's name; nil where the payment path knows the channel (a void or
    /// refund goes where the payment was taken, a card saved at the processor is charged there).
    var terminal: String?
}

/// The one place the API turns a money request into `PaymentService.perform`: every charge,
/// deposit, card save, void and refund from any route comes through ``perform(_:by:idempotencyKey:)``.
/// A request over an approval threshold is held by the payment path itself and answered 202
/// with the approval (``respond(_:by:idempotencyKey:)``); a manager's approval runs it unchanged.
///
/// The logged-in person is the actor: the payment row, every audit event and the Jobber note
/// name them.
struct PaymentDesk: Sendable {
    let app: PosPlusApp

    /// The HTTP answer to `request`: the payment as recorded (``PaymentReply``), or 202 with the
    /// approval it waits for when a threshold held it (nothing was sent).
    func respond(_ request: MoneyRequest, by staff: StaffIdentity, idempotencyKey key: IdempotencyKey) async throws -> Response {
        do {
            return PaymentReply.response(try await perform(request, by: staff, idempotencyKey: key))
        } catch ApprovalHold.waiting(let approval) {
            return ApprovalReply.waiting(approval)
        }
    }

    func perform(_ request: MoneyRequest, by staff: StaffIdentity, idempotencyKey key: IdempotencyKey) async throws -> PaymentRecord {
        let channel = try channel(for: request)
        return try await app.paymentService().perform(request.order, on: channel, by: staff.name, idempotencyKey: key)
    }

    /// Where the order runs: the terminal named; else, for a void or refund, where the payment
    /// was taken; for a saved card, where it was saved. Counter payments and card saves need a
    /// terminal named. Only configured terminals: the API never dials an address it was sent.
    func channel(for request: MoneyRequest) throws -> any PaymentChannel {
        if let name = request.terminal { return try app.terminalChannel(named: name) }
        switch request.order {
        case .reversal(let paymentID, _):
            guard let original = try app.ledger().payment(id: paymentID) else { throw LedgerError.paymentNotFound("\(paymentID)") }
            return try app.channel(thatTook: original)
        case .charge(let order) where order.savedCardID != nil:
            return try app.channel(forSavedCard: order.savedCardID ?? 0)
        case .charge, .quoteDeposit, .saveCard:
            let names = app.config.terminals.map(\.name)
            throw APIError(
                .badRequest, code: "terminal_required",
                message: "Name the terminal the customer is at (\"terminal\": "
                    + (names.isEmpty ? "none are configured yet)." : "one of \(names.joined(separator: ", "))).")
            )
        }
    }
}
