import Foundation
import Ledger
import Messaging
import PosPlusCore

/// A payment link as stored with its approval request: the invoice (or quote), the amount as
/// asked (nil: the balance, or the deposit still to collect) and where it goes. Approving sends
/// exactly this, so the customer gets the link the technician asked for and no other. Encoded
/// with sorted keys, so the same request always gives the same text and a changed one is seen.
struct HeldLink: Codable, Equatable {
    var invoiceNumber: String?
    var quoteID: String?
    var amount: Money?
    var sms: String?
    var email: String?

    init<C>(invoiceNumber: String? = nil, quoteID: String? = nil, amount: Money?, to recipient: PaymentLinkService<C>.Recipient) {
        self.invoiceNumber = invoiceNumber
        self.quoteID = quoteID
        self.amount = amount
        switch recipient {
        case .sms(let phone): sms = phone.e164
        case .email(let address): email = address.value
        }
    }

    /// Where the link goes, checked again as when it was asked.
    func recipient<C>(for _: PaymentLinkService<C>.Type) throws -> PaymentLinkService<C>.Recipient {
        switch (sms, email) {
        case (let phone?, nil): return .sms(try PhoneNumber(phone))
        case (nil, let address?): return .email(try EmailAddress(address))
        default: throw LedgerError.invalidRequest("The held link names no phone number or email address; deny it and send it again.")
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> HeldLink {
        do { return try JSONDecoder().decode(HeldLink.self, from: Data(json.utf8)) } catch {
            throw LedgerError.invalidRequest("The held link cannot be read (\(error)); deny it and send it again.")
        }
    }
}
