import Foundation
import Gateway
import Ledger
import PosPlusCore

/// Cards and bank accounts a client saved with a processor (through its hosted field or page,
/// never through posplus), kept on file so the one payment path can charge or debit them
/// off-session.
public struct GatewayCards: Sendable {
    public let ledger: Ledger
    public let gateway: any PaymentGateway

    public init(ledger: Ledger, gateway: any PaymentGateway) {
        self.ledger = ledger
        self.gateway = gateway
    }

    /// Keeps `method` on file for Jobber client `clientID`, with what the processor reports of
    /// it (brand or bank, last four, a card's expiry), not what anyone typed.
    ///
    /// - A card already saved on `method.customer` is kept as it is. One the hosted field has
    ///   just made (not yet on the customer) is first saved there for off-session use.
    /// - A bank account is kept only with its mandate (`method.mandate`): active, multi-use and
    ///   for this very account, as the processor holds it now. Debits name it, so a customer
    ///   who never accepted debits, or revoked them, is never debited.
    public func keep(_ method: StoredMethod, forClient clientID: String, actor: String) async throws -> CardOnFileRecord {
        let saved = try await gateway.savedMethods(customer: method.customer)
        var found = saved.first { $0.id == method.paymentMethod }
        if found == nil, method.mandate == nil {
            found = try await gateway.saveMethod(
                customer: method.customer, paymentMethod: method.paymentMethod, acceptance: nil,
                idempotencyKey: "save-\(method.customer)-\(method.paymentMethod)")
        }
        guard let found else {
            throw LedgerError.invalidRequest(
                "\(gateway.name) has no bank account \(method.paymentMethod) saved on customer \(method.customer); "
                    + "the customer saves it there, accepting debits, first.")
        }
        let shown = try MaskedCard(brand: found.brand, last4: found.last4)
        switch found.kind {
        case .card:
            guard method.mandate == nil else {
                throw LedgerError.invalidRequest("\(method.paymentMethod) is a card; a card takes no mandate.")
            }
            guard let month = found.expiryMonth, let year = found.expiryYear else {
                throw LedgerError.invalidRequest("\(gateway.name) reports no expiry for card \(method.paymentMethod).")
            }
            return try ledger.saveCard(
                NewCardOnFile(
                    clientID: clientID, processor: gateway.name, token: method.token, card: shown, expiryMonth: month, expiryYear: year),
                actor: actor)
        case .bankAccount:
            try await requireDebitMandate(for: method)
            return try ledger.saveCard(
                .bankAccount(clientID: clientID, processor: gateway.name, token: method.token, account: shown), actor: actor)
        }
    }

    /// Removes a saved method from file; one saved with this processor is also detached from
    /// its customer there, so neither posplus nor anyone else can charge it again.
    public func remove(_ card: CardOnFileRecord, actor: String) async throws {
        if card.processor == gateway.name, let stored = StoredMethod(card.token) {
            do { try await gateway.removeSavedMethod(stored.paymentMethod) } catch .notFound {
                // Already gone at the processor: removing it here is all that is left.
            }
        }
        try ledger.removeCard(id: card.id, actor: actor)
    }

    private func requireDebitMandate(for method: StoredMethod) async throws {
        guard let id = method.mandate else {
            throw LedgerError.invalidRequest(
                "\(method.paymentMethod) is a bank account: give the mandate the customer accepted (--mandate mandate_…).")
        }
        let mandate = try await gateway.mandate(id)
        guard mandate.paymentMethod == method.paymentMethod else {
            throw LedgerError.invalidRequest("Mandate \(id) is for another account, not \(method.paymentMethod).")
        }
        guard mandate.status == .active, mandate.multiUse else {
            throw LedgerError.invalidRequest(
                "Mandate \(id) is \(mandate.status.rawValue)\(mandate.multiUse ? "" : " and single-use"): "
                    + "it does not allow later debits; send the customer a payment link instead.")
        }
    }
}
