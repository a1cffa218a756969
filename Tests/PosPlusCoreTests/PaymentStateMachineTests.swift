import PosPlusCore
import Testing

/// Every (state, event) pair is tried, for a card sale and for an ACH debit: the ones in the
/// table must land where the table says, every other one must throw `.illegal` and change nothing.
@Suite("Payment state machine")
struct PaymentStateMachineTests {
    static let usd = Currency.usd
    static let requested = Money(minorUnits: 10_000, currency: usd)
    static let half = Money(minorUnits: 5_000, currency: usd)
    static let cent = Money(minorUnits: 1, currency: usd)

    enum EventName: String, CaseIterable {
        case send, abandon, approve, partiallyApprove, decline, lose, notFound, acceptPending, void, refund, settle, bankReturn
        var event: PaymentEvent {
            switch self {
            case .send: return .send
            case .abandon: return .abandon
            case .approve: return .approve(captured: requested)
            case .partiallyApprove: return .partiallyApprove(captured: half)
            case .decline: return .decline
            case .lose: return .lose
            case .notFound: return .notFound
            case .acceptPending: return .acceptPending(amount: requested)
            case .void: return .void
            case .refund: return .refund(cent)
            case .settle: return .settle
            case .bankReturn: return .bankReturn
            }
        }
    }

    static let cardTable: [PaymentState: [EventName: PaymentState]] = [
        .intended: [.send: .sent, .abandon: .abandoned],
        .sent: [.approve: .approved, .partiallyApprove: .partiallyApproved, .decline: .declined, .lose: .unknown, .notFound: .intended],
        .unknown: [.approve: .approved, .partiallyApprove: .partiallyApproved, .decline: .declined, .notFound: .intended],
        .approved: [.void: .voided, .refund: .partiallyRefunded, .settle: .settled],
        .partiallyApproved: [.void: .voided, .refund: .partiallyRefunded, .settle: .settled],
        .partiallyRefunded: [.refund: .partiallyRefunded, .settle: .settled],
        .settled: [.refund: .partiallyRefunded],
    ]

    static let achTable: [PaymentState: [EventName: PaymentState]] = [
        .intended: [.send: .sent, .abandon: .abandoned],
        .sent: [.acceptPending: .pending, .decline: .declined, .lose: .unknown, .notFound: .intended],
        .unknown: [.acceptPending: .pending, .decline: .declined, .notFound: .intended],
        .pending: [.settle: .settled, .bankReturn: .returned],
        .settled: [.refund: .partiallyRefunded, .bankReturn: .returned],
        .partiallyRefunded: [.refund: .partiallyRefunded],
    ]

    /// A payment in `state` with amounts that fit it.
    static func payment(_ operation: PaymentOperation, in state: PaymentState) -> Payment {
        let zero = Money.zero(usd)
        let captured: Money
        switch state {
        case .intended, .sent, .unknown, .declined, .abandoned: captured = zero
        case .partiallyApproved: captured = half
        default: captured = requested
        }
        let refunded = state == .partiallyRefunded ? cent : (state == .refunded ? captured : zero)
        return Payment(restoring: operation, requested: requested, state: state, captured: captured, refunded: refunded)
    }

    @Test("card sale: every state × event", arguments: PaymentState.allCases)
    func cardTransitions(from state: PaymentState) throws {
        check(.sale, from: state, table: Self.cardTable)
    }

    @Test("ACH debit: every state × event", arguments: PaymentState.allCases)
    func achTransitions(from state: PaymentState) throws {
        check(.achDebit, from: state, table: Self.achTable)
    }

    private func check(_ operation: PaymentOperation, from state: PaymentState, table: [PaymentState: [EventName: PaymentState]]) {
        let before = Self.payment(operation, in: state)
        for name in EventName.allCases {
            if let expected = table[state]?[name] {
                #expect((try? before.applying(name.event))?.state == expected, "\(operation) \(state) --\(name)--> \(expected)")
            } else {
                #expect(throws: PaymentTransitionError.illegal(from: state, event: name.event.name, operation: operation)) {
                    try before.applying(name.event)
                }
            }
        }
    }

    @Test func finalStatesAcceptNothing() throws {
        for state in PaymentState.allCases where state.isFinal {
            #expect(Self.cardTable[state] == nil && Self.achTable[state] == nil)
        }
    }

    @Test func approvalMustBeForTheRequestedAmount() throws {
        let sent = Self.payment(.sale, in: .sent)
        #expect(throws: PaymentTransitionError.self) { try sent.applying(.approve(captured: Self.half)) }
        #expect(throws: PaymentTransitionError.self) { try sent.applying(.partiallyApprove(captured: Self.requested)) }
        #expect(throws: PaymentTransitionError.self) { try sent.applying(.partiallyApprove(captured: .zero(.usd))) }
        #expect(throws: PaymentTransitionError.self) { try sent.applying(.approve(captured: Money(minorUnits: 10_000, currency: .cad))) }
    }

    @Test func partialApprovalLeavesTheRestDue() throws {
        let partial = try Self.payment(.sale, in: .sent).applying(.partiallyApprove(captured: Money(minorUnits: 1000, currency: .usd)))
        #expect(partial.state == .partiallyApproved)
        #expect(partial.amountDue == Money(minorUnits: 9000, currency: .usd))
        #expect(partial.refundCeiling.remaining == Money(minorUnits: 1000, currency: .usd))
    }

    @Test func newPaymentsStartIntendedWithAPositiveAmount() throws {
        #expect(try Payment(operation: .sale, requested: Self.requested).state == .intended)
        #expect(try Payment(operation: .tokenize, requested: .zero(.usd)).state == .intended)
        #expect(throws: PaymentTransitionError.self) { try Payment(operation: .sale, requested: .zero(.usd)) }
        #expect(throws: PaymentTransitionError.self) { try Payment(operation: .refund, requested: Money(minorUnits: -5, currency: .usd)) }
        #expect(throws: PaymentTransitionError.self) { try Payment(operation: .tokenize, requested: Self.cent) }
    }

    @Test func refundRowsAreApprovedButNeverRefunded() throws {
        let refund = try Payment(operation: .refund, requested: Self.half).applying(.send).applying(.approve(captured: Self.half))
        #expect(refund.state == .approved)
        #expect(throws: PaymentTransitionError.illegal(from: .approved, event: "refund", operation: .refund)) {
            try refund.applying(.refund(Self.cent))
        }
    }

    @Test func illegalMovesExplainThemselves() throws {
        let error = PaymentTransitionError.illegal(from: .declined, event: "void", operation: .sale)
        #expect(error.description == "Cannot void a sale that is declined.")
    }
}
