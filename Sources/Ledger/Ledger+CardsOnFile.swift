import Foundation
import GRDB
import PosPlusCore

/// A card or bank account to save on file: the processor's token and what staff need to
/// recognise it.
public struct NewCardOnFile: Equatable, Sendable {
    public var kind: CardOnFileRecord.Kind
    public var clientID: String
    public var processor: String
    public var token: String
    /// The brand (or bank name) and last four shown to staff.
    public var card: MaskedCard
    public var expiryMonth: Int?
    public var expiryYear: Int?

    /// A card, with the expiry its processor reported.
    public init(clientID: String, processor: String, token: String, card: MaskedCard, expiryMonth: Int, expiryYear: Int) {
        self.kind = .card
        self.clientID = clientID
        self.processor = processor
        self.token = token
        self.card = card
        self.expiryMonth = expiryMonth
        self.expiryYear = expiryYear
    }

    /// A bank account (`account`: the bank's name and the account's last four), which has no expiry.
    public static func bankAccount(clientID: String, processor: String, token: String, account: MaskedCard) -> NewCardOnFile {
        var new = NewCardOnFile(clientID: clientID, processor: processor, token: token, card: account, expiryMonth: 1, expiryYear: 2000)
        new.kind = .bankAccount
        new.expiryMonth = nil
        new.expiryYear = nil
        return new
    }
}

extension Ledger {
    /// Saves a processor token for a client's card. Saving the same token again returns the
    /// stored card. A "token" that is really a card number is refused.
    @discardableResult
    public func saveCard(_ new: NewCardOnFile, actor: String) throws -> CardOnFileRecord {
        guard !new.token.isEmpty, new.token.count <= 255 else {
            throw LedgerError.invalidRequest("A card token must be 1 to 255 characters.")
        }
        guard !CardNumberScreen.containsCardNumber(new.token) else { throw LedgerError.cardDataRefused(field: "the card token") }
        switch (new.kind, new.expiryMonth, new.expiryYear) {
        case (.card, let month?, let year?) where (1...12).contains(month) && (2000...2200).contains(year): break
        case (.card, let month, let year):
            throw LedgerError.invalidRequest(
                "The card expiry \(month.map(String.init) ?? "?")/\(year.map(String.init) ?? "?") is not a valid month and year.")
        case (.bankAccount, nil, nil): break
        case (.bankAccount, _, _): throw LedgerError.invalidRequest("A bank account has no expiry.")
        }
        return try write { db in
            if let existing = try CardOnFileRecord.filter(Column("processor") == new.processor && Column("token") == new.token).fetchOne(db)
            {
                return existing
            }
            let time = now()
            let record = try CardOnFileRecord.Draft(
                kind: new.kind, clientID: new.clientID, processor: new.processor, token: new.token, brand: new.card.brand,
                last4: new.card.last4,
                expiryMonth: new.expiryMonth, expiryYear: new.expiryYear, createdAt: time
            ).insertAndFetch(db, as: CardOnFileRecord.self)
            try AuditChain.append(
                db, kind: "card.save", paymentID: nil, actor: actor,
                detail: [
                    "card": .integer(record.id), "kind": .text(new.kind.rawValue), "client": .text(new.clientID),
                    "brand": .text(new.card.brand),
                    "last4": .text(new.card.last4),
                ],
                at: time)
            return record
        }
    }

    /// A client's saved cards that have not been removed, newest first.
    public func cards(clientID: String) throws -> [CardOnFileRecord] {
        try read { db in
            try CardOnFileRecord.filter(Column("clientID") == clientID && Column("removedAt") == nil)
                .order(Column("id").desc).fetchAll(db)
        }
    }

    public func card(id: Int64) throws -> CardOnFileRecord? {
        try read { db in try CardOnFileRecord.fetchOne(db, key: id) }
    }

    /// Removes a saved card (kept for history, never charged again).
    public func removeCard(id: Int64, actor: String) throws {
        try write { db in
            guard var card = try CardOnFileRecord.fetchOne(db, key: id) else { throw LedgerError.cardNotFound(id) }
            guard card.removedAt == nil else { return }
            let time = now()
            card.removedAt = time
            try card.update(db)
            try AuditChain.append(db, kind: "card.remove", paymentID: nil, actor: actor, detail: ["card": .integer(id)], at: time)
        }
    }
}
