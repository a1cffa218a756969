import PosPlusCore

/// Why the ledger refused or failed a request. Nothing is half-written when one is thrown:
/// every change is a single transaction.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// The same idempotency key was used for a different request.
    case idempotencyKeyReused(key: String, existingPaymentID: Int64)
    case paymentNotFound(String)
    case attemptNotFound(Int64)
    case jobNotFound(Int64)
    case cardNotFound(Int64)
    case linkNotFound(String)
    case reconcileItemNotFound(Int64)
    /// A new attempt while another is still in flight or unresolved for the same payment.
    case attemptInProgress(paymentID: Int64, reference: String)
    /// The payment state machine refused the change.
    case transition(PaymentTransitionError)
    /// The request itself is inconsistent (a refund without an original, a wrong currency, …).
    case invalidRequest(String)
    /// Another charge on the invoice is recorded, sent or in doubt; it must be resolved first.
    case invoiceHasPaymentInFlight(invoice: String, paymentID: Int64)
    /// With what posplus already collected on the invoice, the charge would exceed what Jobber
    /// says is owed (Jobber's balance may not show posplus's payments yet).
    case invoiceOwedExceeded(invoice: String, requested: Money, collected: Money?, room: Money)
    /// posplus already took money on the invoice (or quote) and the new charge did not say it is
    /// a further payment (split tender): it may repeat a charge whose answer staff never saw.
    case alreadyPaid(EarlierPayment)
    /// The same two, for a deposit on a quote.
    case quoteHasPaymentInFlight(quote: String, paymentID: Int64)
    case depositOwedExceeded(quote: String, requested: Money, collected: Money?, room: Money)
    /// Something that looks like a card number was about to be stored.
    case cardDataRefused(field: String)
    /// SQLite reported an error (disk full, constraint broken by a bug, …).
    case storage(String)
    /// No ledger key could be had (see ``LedgerKey``).
    case keyUnavailable(LedgerKeyError)
    /// A stored secret does not open under this ledger's key: the key was lost or replaced, or
    /// the ledger was copied without it. Nothing about payments depends on it.
    case secretUnreadable(String)
    /// No staff member by that name (or id).
    case staffNotFound(String)
    /// A staff member by that name exists already (names are compared without regard to case).
    case staffExists(String)
    /// The change would leave no enabled owner, and so nobody to manage staff from the console.
    case lastOwner(String)
    /// The staff member is disabled.
    case staffDisabled(String)
    /// No API token with that id.
    case apiTokenNotFound(Int64)
    /// No approval request with that id.
    case approvalNotFound(Int64)
    /// An approval decision the rules do not allow (already decided, or by the requester).
    case approvalRefused(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the ledger at \(path): \(reason)."
        case .idempotencyKeyReused(let key, let id):
            return
                "The idempotency key \"\(key)\" was already used for payment \(id) with different details; use a new key for a new payment."
        case .paymentNotFound(let what):
            return "No payment \(what) in the ledger."
        case .attemptNotFound(let id):
            return "No attempt \(id) in the ledger."
        case .jobNotFound(let id):
            return "No outbox job \(id) in the ledger."
        case .cardNotFound(let id):
            return "No saved card \(id) in the ledger."
        case .reconcileItemNotFound(let id):
            return "No reconcile item \(id): `posplus reconcile list` shows the open ones."
        case .linkNotFound(let id):
            return "No payment link \(id) in the ledger."
        case .attemptInProgress(let id, let reference):
            return "Payment \(id) already has attempt \(reference) in progress or unresolved; resolve it before trying again."
        case .transition(let error):
            return error.description
        case .invalidRequest(let reason):
            return reason
        case .invoiceHasPaymentInFlight(let invoice, let id):
            return
                "Payment \(id) on invoice #\(invoice) has not finished (or its answer was lost); resolve it (`posplus recover`) before charging the invoice again."
        case .invoiceOwedExceeded(let invoice, let requested, let collected, let room):
            let taken =
                collected.map { "posplus has already taken \($0.formatted) on invoice #\(invoice), which Jobber may not show yet; " } ?? ""
            return room.isPositive
                ? "\(taken)\(requested.formatted) is more than the \(room.formatted) that may still be charged on invoice #\(invoice)."
                : "\(taken)nothing is left to charge on invoice #\(invoice)."
        case .alreadyPaid(let earlier):
            return """
                posplus already took \(earlier.amount.formatted) on \(earlier.target): payment \(earlier.paymentID) \
                (\(earlier.state.rawValue), key "\(earlier.idempotencyKey)"). If you are retrying that charge, run it again \
                with that key (--key \(earlier.idempotencyKey)) to see it; nothing more is charged. To take another payment \
                on \(earlier.target) on purpose (split tender), say so (--split-tender).
                """
        case .quoteHasPaymentInFlight(let quote, let id):
            return
                "Deposit payment \(id) on quote #\(quote) has not finished (or its answer was lost); resolve it (`posplus recover`) first."
        case .depositOwedExceeded(let quote, let requested, let collected, let room):
            let taken = collected.map { "posplus has already taken \($0.formatted) of deposit on quote #\(quote); " } ?? ""
            return room.isPositive
                ? "\(taken)\(requested.formatted) is more than the \(room.formatted) of deposit still to collect on quote #\(quote)."
                : "\(taken)no deposit is left to collect on quote #\(quote)."
        case .cardDataRefused(let field):
            return "Refused to store \(field): it looks like a card number, which posplus never keeps."
        case .storage(let message):
            return "The ledger database reported an error: \(message)"
        case .keyUnavailable(let error):
            return error.description
        case .staffNotFound(let name):
            return "No staff member named \(name); `posplus staff list` shows who there is."
        case .staffExists(let name):
            return "A staff member named \(name) exists already (names are the same whatever their case); pick another name."
        case .lastOwner(let name):
            return "\(name) is the only owner left who can log in; add another owner first (`posplus staff add NAME --role owner`)."
        case .staffDisabled(let name):
            return "\(name)'s staff account is disabled; an owner can add a new one."
        case .apiTokenNotFound(let id):
            return "No API token \(id); `posplus staff token list` shows them."
        case .approvalNotFound(let id):
            return "No approval request \(id); `posplus approvals list` shows those waiting."
        case .approvalRefused(let reason):
            return reason
        case .secretUnreadable(let what):
            return "Cannot read \(what) stored in the ledger: the ledger's key is missing or different; run `posplus jobber connect` again."
        }
    }
}
