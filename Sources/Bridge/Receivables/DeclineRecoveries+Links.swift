import Foundation
import Jobber
import Ledger
import PosPlusCore
import Receivables

/// How a recovery's link really reaches the client. The sequence asks for a text first and an
/// email later, but a link goes where ``PaymentLinkService/Recipient/preferred(in:emailFirst:)``
/// finds the client — the one used when the step is carried out — so what a person approves
/// says "email" for a client with no phone that takes texts, and names where it goes.
extension DeclineRecoveries {
    /// The client's contacts in Jobber when `actions` send a link; nil when none does (Jobber is
    /// not asked).
    func linkContacts(for actions: [RecoverySequence.Action], invoiceID: String) async throws -> CustomerContacts? {
        guard actions.contains(where: { if case .sendLink = $0 { true } else { false } }) else { return nil }
        return try await invoices().itemization(invoiceID: invoiceID).client
    }

    /// The step for a link the sequence asks to send on `channel`: texted or emailed as the
    /// client's contacts allow, with the reason saying so when it is not what was asked, and the
    /// address it goes to. Without contacts (or with neither), the sequence's channel stands:
    /// carrying it out then fails with the reason.
    static func linkStep(_ channel: RecoverySequence.Channel, reason: String, contacts: CustomerContacts?)
        -> (action: DeclineStepRecord.Action, reason: String, address: String?)
    {
        let asked: DeclineStepRecord.Action = channel == .sms ? .textLink : .emailLink
        guard let contacts, let recipient = PaymentLinkService<C>.Recipient.preferred(in: contacts, emailFirst: channel == .email)
        else { return (asked, reason, nil) }
        switch recipient {
        case .sms(let phone):
            let why = channel == .email ? " \(contacts.name) has no email in Jobber, so it is texted." : ""
            return (.textLink, reason + why, phone.e164)
        case .email(let address):
            let why = channel == .sms ? " \(contacts.name) has no phone in Jobber that takes texts, so it is emailed." : ""
            return (.emailLink, reason + why, address.value)
        }
    }
}
