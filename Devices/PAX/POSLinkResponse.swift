/// A POSLink reply: `status FS command FS version FS resultCode FS resultText FS groups…`.
///
/// Field positions of each reply's groups (poslink.md §1.8, §1.10). Readers use
/// ``POSLinkFrame/value(_:_:)``, which answers "" for trimmed trailing fields.
public struct POSLinkResponse: Equatable, Sendable {
    public let frame: POSLinkFrame

    public var status: String { frame.value(0) }
    public var command: String { frame.value(1) }
    public var version: String { frame.value(2) }
    public var resultCode: String { frame.value(3) }
    public var resultText: String { frame.value(4) }

    /// Checks the header and that the reply answers `expected`.
    public init(_ frame: POSLinkFrame, answering expected: POSLinkRequest.Command) throws(POSLinkParseError) {
        guard frame.fields.count >= 5 else { throw .tooFewFields(frame.fields.count) }
        self.frame = frame
        guard command == expected.replyID else { throw .unexpectedCommand(expected: expected.replyID, got: command) }
        guard resultCode.count == 6, resultCode.allSatisfy(\.isASCIIDigit) else { throw .badResultCode(resultCode) }
    }

    /// Field indices of a T01 reply (T03 shares them up to Trace).
    public enum CreditField {
        public static let host = 5, transactionType = 6, amount = 7, account = 8, trace = 9, extData = 13
    }

    /// Field indices of a T03 (debit) reply: as T01 up to Trace, then ExtData.
    public enum DebitField {
        public static let extData = 10
    }

    /// Field indices of a T13 (check) reply.
    public enum CheckField {
        public static let host = 5, transactionType = 6, amount = 7, check = 8, trace = 9, extData = 10
    }

    /// Field indices of an R03 record.
    public enum ReportField {
        public static let totalRecords = 5, recordNumber = 6, host = 7, edcType = 8, transactionType = 9, originalType = 10,
            amount = 11, account = 12, trace = 13, cashier = 14, commercial = 15, check = 16, extData = 17
    }

    /// Field indices of a B01 reply.
    public enum BatchField {
        public static let host = 5, totalCount = 6, totalAmount = 7, timestamp = 8
    }

    /// ExtData `KEY=value` items of field `index`, keys upper-cased.
    public func extData(_ index: Int) -> [String: String] {
        var items: [String: String] = [:]
        for item in frame.subfields(index) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            items[item[..<equals].uppercased()] = String(item[item.index(after: equals)...])
        }
        return items
    }
}

/// Why a reply could not be read. The driver turns these into an `unknown` outcome for money
/// requests (the terminal accepted them) and a clear error for the others.
public enum POSLinkParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewFields(Int)
    case unexpectedCommand(expected: String, got: String)
    case badResultCode(String)
    case badAmount(String)
    /// A field of a reply that is not what its position holds (`field` names it as the
    /// reference does, e.g. "TotalRecord"; `expected` says what it should be).
    case badField(String, value: String, expected: String)

    public var description: String {
        switch self {
        case .tooFewFields(let count): return "a reply needs at least 5 fields, this one has \(count)"
        case .unexpectedCommand(let expected, let got): return "expected a \(expected) reply, got \"\(got)\""
        case .badResultCode(let code): return "\"\(code)\" is not a 6-digit result code"
        case .badAmount(let text): return "\"\(text)\" is not an amount in cents"
        case .badField(let field, let value, let expected):
            // Cut short: an untrusted reply's text goes into logs and error messages.
            let shown = value.count > 16 ? String(value.prefix(16)) + "…" : value
            return "the \(field) field \"\(shown)\" is not \(expected)"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
