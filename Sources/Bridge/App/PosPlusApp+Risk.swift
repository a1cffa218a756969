import Foundation
import Ledger
import PosPlusCore
import Receivables

/// What the risk signals would make of a charge, for `posplus risk check`: read-only.
public struct RiskCheck: Sendable {
    public var invoiceNumber: String
    public var clientName: String
    public var amount: Money
    public var assessment: RiskAssessment
    public var settings: RiskSettings

    /// Whether the charge would wait for a manager under the configured mode.
    public var wouldHold: Bool { settings.holds(assessment) }
}

extension PosPlusApp {
    /// Scores a charge of `amount` (nil: the balance) on invoice `number` as the payment path
    /// would now — the invoice from Jobber, the client's record from the ledger and their paid
    /// invoices in Jobber — whatever
    /// `risk.mode` is, and changes nothing: no audit event, no approval, nothing sent.
    public func riskCheck(invoiceNumber number: String, amount: Money?, keyed: Bool, savedCardID: Int64?) async throws -> RiskCheck {
        let invoice = try await chargeCheck().invoices.invoice(number: number)
        let ledger = try ledger()
        var card: MaskedCard?
        if let savedCardID {
            guard let saved = try ledger.card(id: savedCardID), saved.removedAt == nil else { throw LedgerError.cardNotFound(savedCardID) }
            card = try MaskedCard(brand: saved.brand, last4: saved.last4)
        }
        let charged = amount ?? invoice.balance
        let request = RiskRequest(amount: charged, clientID: invoice.clientID, isKeyed: keyed, card: card, at: ledger.now())
        let jobber = await RiskScreen.jobberHistory(for: request, settings: config.risk, source: jobberClientHistory, anyMode: true)
        let assessment = try RiskScreen(ledger: ledger, settings: config.risk, logger: nil, jobber: jobber).assess(request)
        return RiskCheck(
            invoiceNumber: invoice.number, clientName: invoice.clientName, amount: charged, assessment: assessment, settings: config.risk)
    }
}
