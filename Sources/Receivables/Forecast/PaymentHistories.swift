import Foundation

/// Every client's ``ClientPaymentHistory``, and the business-wide median days to pay used for
/// clients with none.
public struct PaymentHistories: Equatable, Sendable {
    public var byClient: [String: ClientPaymentHistory]
    /// Median days from issue to payment over every paid invoice of every client.
    public var businessMedianDaysToPay: Int?

    public init(invoices: [ReceivableInvoice], asOf: Date, days: LocalDays) {
        let grouped = Dictionary(grouping: invoices, by: \.clientID)
        byClient = grouped.mapValues { ClientPaymentHistory($0.map(\.historyEntry), asOf: asOf, days: days) }
        businessMedianDaysToPay = ClientPaymentHistory.median(byClient.values.flatMap(\.daysToPay))
    }

    public subscript(clientID: String) -> ClientPaymentHistory? { byClient[clientID] }
}
