import Foundation
import PosPlusCore

/// Why a message could not be addressed or sent; each case names the problem.
public enum MessagingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidEmail(String)
    case invalidPhone(String)
    case notConfigured(String)
    case smtp(String)
    case sms(status: Int, message: String)
    case transport(String)

    public var description: String {
        switch self {
        case .invalidEmail(let text): return "\"\(text)\" is not an email address (expected name@domain.tld)."
        case .invalidPhone(let text):
            return "\"\(text)\" is not a phone number posplus can text (use +1 and ten digits, or ten digits for North America)."
        case .notConfigured(let what): return "\(what) is not configured."
        case .smtp(let reason): return "The mail server did not take the message: \(reason)"
        case .sms(let status, let message): return "The SMS service refused the message (HTTP \(status)): \(message)"
        case .transport(let reason): return "The message service could not be reached: \(reason)"
        }
    }
}

/// An email address, checked for the shape mail servers accept (not for existence).
public struct EmailAddress: Equatable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(MessagingError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, trimmed.count <= 254,
            parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            trimmed.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"<>()[],;:\"\\".contains($0) }),
            // Stored with the link and printed in logs: never a card number, even as an address.
            !CardNumberScreen.mayHoldCardNumber(trimmed)
        else { throw .invalidEmail(CardNumberScreen.mayHoldCardNumber(text) ? "(an address that looks like a card number)" : text) }
        value = trimmed
    }

    public var description: String { value }
}

/// A phone number in E.164 (`+15555550101`). North American numbers may be given with ten
/// digits and any of ( ) - . and spaces; others must start with + and their country code.
public struct PhoneNumber: Equatable, Sendable, CustomStringConvertible {
    public let e164: String

    public init(_ text: String) throws(MessagingError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.allSatisfy({ $0.isNumber || " ()-.+".contains($0) }) else { throw .invalidPhone(text) }
        let digits = trimmed.filter(\.isNumber)
        if trimmed.hasPrefix("+") {
            guard (8...15).contains(digits.count), digits.first != "0" else { throw .invalidPhone(text) }
            e164 = "+" + digits
        } else if digits.count == 10, let first = digits.first, first != "0", first != "1" {
            e164 = "+1" + digits
        } else if digits.count == 11, digits.hasPrefix("1") {
            e164 = "+" + digits
        } else {
            throw .invalidPhone(text)
        }
    }

    public var description: String { e164 }
}
