import Foundation
import Jobber
import Ledger
import Messaging
import PosPlusCore

/// What staff do with receipts: show one (text and HTML) and ask for one to be sent.
///
/// Sending only queues a `receipt.send` job (``ReceiptDelivery``); the outbox sends it, so the
/// CLI, the API and the automatic mode share one path and one record of what was sent.
public struct ReceiptService<C: Clock<Duration>>: Sendable {
    public let builder: ReceiptBuilder<C>
    /// The business's time zone: the receipt's date is printed in it.
    public let timeZone: TimeZone

    public init(builder: ReceiptBuilder<C>, timeZone: TimeZone) {
        self.builder = builder
        self.timeZone = timeZone
    }

    /// A receipt and both renderings.
    public struct Rendered: Sendable {
        public var receipt: Receipt
        public var text: String
        public var html: String
    }

    public func show(paymentID: Int64) async throws -> Rendered {
        let receipt = try await builder.receipt(paymentID: paymentID)
        return Rendered(
            receipt: receipt, text: ReceiptText.render(receipt, timeZone: timeZone), html: ReceiptHTML.render(receipt, timeZone: timeZone))
    }

    /// Queues payment `paymentID`'s receipt for `destination` (nil: the client's preferred
    /// channel, looked up now so a client with none is refused at once). `key` makes a retried
    /// request one send; without one every request is a new send.
    public func send(paymentID: Int64, to destination: ReceiptDestination?, by actor: String, key: String? = nil) async throws
        -> OutboxJobRecord
    {
        _ = try ReceiptBuilder<C>.receiptable(paymentID, in: builder.ledger)
        switch destination {
        case .email(let address): _ = try EmailAddress(address)
        case .sms(let number): _ = try PhoneNumber(number)
        case nil:
            guard try await builder.contacts(paymentID: paymentID)?.preferred != nil else { throw ReceiptError.noDestination(paymentID) }
        }
        let job = ReceiptDelivery.requestedJob(paymentID: paymentID, to: destination, key: key ?? UUID().uuidString.lowercased())
        let queued = try builder.ledger.enqueue(job, paymentID: paymentID)
        try builder.ledger.recordAuditEvent(
            kind: "receipt.request", paymentID: paymentID, actor: actor,
            detail: ["job": .integer(queued.id), "channel": AuditValue(destination?.channel ?? "preferred")])
        return queued
    }
}
