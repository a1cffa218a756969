import Foundation
import Gateway
import Ledger
import PosPlusCore

/// Cards a client saved with a processor (through its hosted field, never through posplus),
/// kept on file so the one payment path can charge them off-session.
public struct GatewayCards: Sendable {
    public let ledger: Ledger
    public let gateway: any PaymentGateway

    public init(ledger: Ledger, gateway: any PaymentGateway) {
        self.ledger = ledger
        self.gateway = gateway
    }

    /// Keeps `method`, which must be saved on `method.customer` at the processor, on file for
    /// Jobber client `clientID`: the processor's ids, brand, last four and expiry — what the
    /// processor reports, not what anyone typed.
    public func keep(_ method: StoredMethod, forClient clientID: String, actor: String) async throws -> CardOnFileRecord {
        let saved = try await gateway.savedMethods(customer: method.customer)
        guard let card = saved.first(where: { $0.id == method.paymentMethod }) else {
            throw LedgerError.invalidRequest(
                "\(gateway.name) has no card \(method.paymentMethod) saved on customer \(method.customer); save it there first.")
        }
        return try ledger.saveCard(
            NewCardOnFile(
                clientID: clientID, processor: gateway.name, token: method.token,
                card: try MaskedCard(brand: card.brand.uppercased(), last4: card.last4), expiryMonth: card.expiryMonth,
                expiryYear: card.expiryYear),
            actor: actor)
    }
}
