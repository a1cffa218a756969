import Bridge
import Foundation
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
/// Approvals (issue 12, part 4) hook in here: a request over a threshold waits for a manager
/// instead of reaching `perform`, and once approved runs through this same call, unchanged.
///
/// The logged-in person is the actor: the payment row, every audit event and the Jobber note
/// name them.
struct PaymentDesk: Sendable {
    let app: PosPlusApp

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
