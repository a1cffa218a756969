import PAX
import PosPlusCore
import Terminal
import Testing

/// Every result code of poslink.md §1.9 has a typed outcome, and anything that might mean
/// "the money moved" is approved or unknown — never declined or rejected.
@Suite("POSLink result codes")
struct POSLinkResultCodeTests {
    enum Kind: Equatable { case approved, partial, declined, aborted, duplicate, rejected, unknown }

    static let table: [(String, Kind)] = [
        ("000000", .approved), ("000001", .approved), ("000002", .partial), ("000003", .approved), ("000100", .declined),
        ("000200", .rejected), ("000300", .rejected), ("100001", .rejected), ("100002", .aborted), ("100003", .rejected),
        ("100004", .rejected), ("100005", .rejected), ("100006", .rejected), ("100008", .rejected), ("100009", .unknown),
        ("100010", .unknown), ("100011", .duplicate), ("100015", .declined), ("100016", .declined), ("100018", .rejected),
        ("100021", .rejected), ("100022", .rejected), ("100023", .rejected), ("100024", .rejected), ("100025", .rejected),
        ("100027", .rejected), ("100028", .rejected), ("100029", .rejected), ("100100", .rejected), ("100101", .rejected),
        ("100503", .rejected), ("199999", .unknown), ("123456", .unknown),
    ]

    static func kind(_ outcome: TerminalOutcome) -> Kind {
        switch outcome {
        case .approved: return .approved
        case .partiallyApproved: return .partial
        case .declined: return .declined
        case .aborted: return .aborted
        case .duplicate: return .duplicate
        case .rejected: return .rejected
        case .unknown: return .unknown
        }
    }

    @Test(arguments: table)
    func eachCodeHasItsOutcome(code: String, expected: Kind) {
        let outcome = POSLinkResultCode.outcome(code: code, text: "TEXT", hostCode: "", amountDue: nil)
        #expect(Self.kind(outcome) == expected, "\(code) → \(outcome)")
    }

    @Test func hostCodesRefineDeclines() {
        #expect(
            POSLinkResultCode.outcome(code: "000100", text: "DECLINE", hostCode: "51", amountDue: nil) == .declined(.host(hostCode: "51")))
        #expect(POSLinkResultCode.outcome(code: "000100", text: "DECLINE", hostCode: "14", amountDue: nil) == .declined(.invalidCard))
        #expect(POSLinkResultCode.outcome(code: "000100", text: "INVALID CARD", hostCode: "", amountDue: nil) == .declined(.invalidCard))
        let due = Money(minorUnits: 2001, currency: .usd)
        #expect(
            POSLinkResultCode.outcome(code: "000002", text: "PARTIAL", hostCode: "", amountDue: due) == .partiallyApproved(amountDue: due))
    }
}
