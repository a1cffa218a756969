/// A quote as Jobber described it at one moment: what the deposit rules look at.
///
/// Like ``InvoiceSnapshot``, a snapshot fetched fresh before money moves, because the client
/// may approve the quote, or pay part of its deposit, in between.
public struct QuoteSnapshot: Equatable, Sendable, Codable {
    /// Jobber's opaque id (a base64 global id).
    public var id: String
    /// The number staff see and say ("78").
    public var number: String
    public var status: QuoteStatus
    public var total: Money
    /// The deposit the quote asks for.
    public var depositAmount: Money
    /// What is still to collect of that deposit ("outstandingDepositAmount" in Jobber).
    public var outstandingDeposit: Money
    public var clientID: String
    public var clientName: String

    public init(
        id: String, number: String, status: QuoteStatus, total: Money, depositAmount: Money, outstandingDeposit: Money,
        clientID: String, clientName: String
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.total = total
        self.depositAmount = depositAmount
        self.outstandingDeposit = outstandingDeposit
        self.clientID = clientID
        self.clientName = clientName
    }
}

/// Jobber's quote status (`QuoteStatusTypeEnum`). An unknown value from a newer API version is
/// kept and refused by ``ChargeGuard`` with a message naming it.
public enum QuoteStatus: Equatable, Sendable, JobberWireValue {
    case draft
    case awaitingResponse
    case changesRequested
    case approved
    case converted
    case archived
    case unrecognized(String)

    /// Reads Jobber's wire value (`"awaiting_response"`), whatever its letter case.
    public init(jobberValue: String) {
        switch jobberValue.lowercased() {
        case "draft": self = .draft
        case "awaiting_response": self = .awaitingResponse
        case "changes_requested": self = .changesRequested
        case "approved": self = .approved
        case "converted": self = .converted
        case "archived": self = .archived
        default: self = .unrecognized(jobberValue)
        }
    }

    /// Jobber's wire value.
    public var jobberValue: String {
        switch self {
        case .draft: return "draft"
        case .awaitingResponse: return "awaiting_response"
        case .changesRequested: return "changes_requested"
        case .approved: return "approved"
        case .converted: return "converted"
        case .archived: return "archived"
        case .unrecognized(let raw): return raw
        }
    }

    /// The wire value as staff read it ("awaiting response").
    public var displayName: String { String(jobberValue.map { $0 == "_" ? " " : $0 }) }
}
