import Foundation
import Ledger
import PosPlusCore

/// A payment order as stored with its approval request: exactly what was asked, so that the
/// manager's "approve" runs that order and nothing else. Encoded with sorted keys, so the same
/// order always gives the same text and a changed one is seen as changed.
struct HeldOrder: Codable, Equatable {
    enum Kind: String, Codable { case charge, reversal, quoteDeposit }

    var kind: Kind
    // A charge: its target, amount and how it is paid.
    var invoiceNumber: String?
    var invoiceID: String?
    var clientID: String?
    var clientName: String?
    var amount: Money?
    var intent: ProposedCharge.Intent?
    var operation: PaymentOperation?
    var savedCardID: Int64?
    var splitTender: Bool?
    // A quote's deposit (with `amount` and `splitTender`).
    var quoteID: String?
    // A reversal: the payment, and void or how much to refund (nil: all that is left).
    var paymentID: Int64?
    var isVoid: Bool?
    var refund: Money?

    init<C>(_ order: PaymentService<C>.Order) throws {
        switch order {
        case .charge(let charge):
            kind = .charge
            switch charge.target {
            case .invoiceNumber(let number): invoiceNumber = number
            case .invoiceID(let id): invoiceID = id
            case .client(let id, let name, let number):
                clientID = id
                clientName = name
                invoiceNumber = number
            }
            amount = charge.amount
            intent = charge.intent
            operation = charge.operation
            savedCardID = charge.savedCardID
            splitTender = charge.splitTender
        case .reversal(let paymentID, let reversal):
            kind = .reversal
            self.paymentID = paymentID
            switch reversal {
            case .void: isVoid = true
            case .refund(let amount): refund = amount
            }
        case .quoteDeposit(let quoteID, let amount, let splitTender):
            kind = .quoteDeposit
            self.quoteID = quoteID
            self.amount = amount
            self.splitTender = splitTender
        case .saveCard:
            throw LedgerError.invalidRequest("Only charges, deposits, voids and refunds wait for approval.")
        }
    }

    /// The order this was made from.
    func order<C>(for _: PaymentService<C>.Type) throws -> PaymentService<C>.Order {
        switch kind {
        case .charge:
            let target: ChargeCheck<C>.Target
            if let clientID, let clientName {
                target = .client(id: clientID, name: clientName, invoiceNumber: invoiceNumber)
            } else if let invoiceID {
                target = .invoiceID(invoiceID)
            } else if let invoiceNumber {
                target = .invoiceNumber(invoiceNumber)
            } else {
                throw LedgerError.invalidRequest("The held charge names no invoice.")
            }
            return .charge(
                .init(
                    target: target, amount: amount, intent: intent ?? .fullBalance, operation: operation ?? .sale,
                    savedCardID: savedCardID, splitTender: splitTender ?? false))
        case .quoteDeposit:
            guard let quoteID else { throw LedgerError.invalidRequest("The held deposit names no quote.") }
            return .quoteDeposit(quoteID: quoteID, amount: amount, splitTender: splitTender ?? false)
        case .reversal:
            guard let paymentID else { throw LedgerError.invalidRequest("The held reversal names no payment.") }
            return .reversal(paymentID: paymentID, isVoid == true ? .void : .refund(refund))
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> HeldOrder {
        do { return try JSONDecoder().decode(HeldOrder.self, from: Data(json.utf8)) } catch {
            throw LedgerError.invalidRequest("The held request cannot be read (\(error)); deny it and ask again.")
        }
    }
}
