import Foundation
import PosPlusCore

/// Checks on identifiers staff send, made before anything is asked of Jobber, a terminal or the
/// ledger: a 400 naming the field. Never echoes what could be a card number.
enum APIInput {
    /// An invoice number as staff see it ("1043"): 1 to 20 letters, digits or dashes.
    static func invoiceNumber(_ text: String, field: String = "invoice") throws -> String {
        guard (1...20).contains(text.count), text.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "-" }),
            !CardNumberScreen.mayHoldCardNumber(text)
        else {
            throw APIError(.badRequest, code: "invalid_request", message: "\"\(field)\" takes an invoice number such as 1043.")
        }
        return text
    }

    /// A Jobber id (client, quote): printable ASCII, at most 200 characters, nothing like a card number.
    static func jobberID(_ text: String, field: String) throws -> String {
        guard (1...200).contains(text.utf8.count), text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            !CardNumberScreen.mayHoldCardNumber(text)
        else {
            throw APIError(
                .badRequest, code: "invalid_request",
                message: "\"\(field)\" takes a Jobber id (letters, digits, = + / -), and never anything like a card number.")
        }
        return text
    }

    /// A configured terminal's name, as `[terminals.NAME]` spells it.
    static func terminalName(_ text: String) throws -> String {
        guard (1...64).contains(text.count), text.unicodeScalars.allSatisfy({ isAlphanumeric($0) || "-_.".unicodeScalars.contains($0) })
        else {
            throw APIError(
                .badRequest, code: "invalid_request", message: "\"terminal\" takes a configured terminal's name, such as front-desk.")
        }
        return text
    }

    /// Text to search invoices by: a name or part of one, 2 to 100 printable characters.
    static func searchText(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (2...100).contains(trimmed.count), trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }),
            !CardNumberScreen.containsCardNumber(trimmed)
        else {
            throw APIError(.badRequest, code: "invalid_request", message: "\"search\" takes 2 to 100 characters of a client's name.")
        }
        return trimmed
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
