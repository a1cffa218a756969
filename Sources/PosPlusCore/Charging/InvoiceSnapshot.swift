/// An invoice as Jobber described it at one moment: what the charge rules look at.
///
/// A snapshot, not a live object: the payment path fetches a fresh one right before it
/// charges, because the balance can change between staff picking an invoice and the card
/// being tapped.
public struct InvoiceSnapshot: Equatable, Sendable, Codable {
    /// Jobber's opaque id (a base64 global id).
    public var id: String
    /// The number staff see and say ("1042").
    public var number: String
    public var status: InvoiceStatus
    public var total: Money
    /// What is still owed ("amountOutstanding" in Jobber).
    public var balance: Money
    public var clientID: String
    public var clientName: String

    public init(
        id: String, number: String, status: InvoiceStatus, total: Money, balance: Money,
        clientID: String, clientName: String
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.total = total
        self.balance = balance
        self.clientID = clientID
        self.clientName = clientName
    }
}

/// Jobber's invoice status. An unknown value from a newer API version is kept (not a decoding
/// crash) and refused by ``ChargeGuard`` with a message naming it.
public enum InvoiceStatus: Equatable, Sendable, JobberWireValue {
    case draft
    case awaitingPayment
    case pastDue
    case sentNotDue
    case paid
    case badDebt
    case unrecognized(String)

    /// Reads Jobber's wire value (`"awaiting_payment"`), whatever its letter case.
    public init(jobberValue: String) {
        switch jobberValue.lowercased() {
        case "draft": self = .draft
        case "awaiting_payment": self = .awaitingPayment
        case "past_due": self = .pastDue
        case "sent_not_due": self = .sentNotDue
        case "paid": self = .paid
        case "bad_debt": self = .badDebt
        default: self = .unrecognized(jobberValue)
        }
    }

    /// Jobber's wire value.
    public var jobberValue: String {
        switch self {
        case .draft: return "draft"
        case .awaitingPayment: return "awaiting_payment"
        case .pastDue: return "past_due"
        case .sentNotDue: return "sent_not_due"
        case .paid: return "paid"
        case .badDebt: return "bad_debt"
        case .unrecognized(let raw): return raw
        }
    }

    /// Sent to the client and not yet settled: the only statuses posplus will charge against.
    public var isPayable: Bool {
        switch self {
        case .awaitingPayment, .pastDue, .sentNotDue: return true
        case .draft, .paid, .badDebt, .unrecognized: return false
        }
    }
}
