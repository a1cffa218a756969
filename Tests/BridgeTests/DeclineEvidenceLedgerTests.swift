import Receivables
import Testing

@testable import Bridge
@testable import Gateway

/// Attempts recorded before the ledger kept Stripe's codes have only `GatewayDecline.description`;
/// these pin that the sentences posplus reads back for them are the ones the gateway writes, so a
/// rewording there cannot silently turn a known reason into an unknown one (or the reverse).
@Suite struct DeclineEvidenceLedgerTests {
    @Test(arguments: [
        (GatewayDecline.Reason.insufficientFunds, "insufficient_funds", DeclineReason.insufficientFunds),
        (.expiredCard, "expired_card", .expired),
        (.authenticationRequired, "authentication_required", .authenticationRequired),
    ])
    func theGatewaysOwnSentencesAreReadBack(reason: GatewayDecline.Reason, code: String, expected: DeclineReason) {
        let stored = GatewayDecline(reason: reason, message: "Your card was declined.", paymentID: nil).description
        #expect(DeclineEvidence.stripeCode(describedBy: stored) == code)
        let evidence = DeclineEvidence.card(code: nil, declineCode: DeclineEvidence.stripeCode(describedBy: stored), via: .savedCard)
        #expect(DeclineClassifier.classify(evidence).reason == expected)
    }

    @Test func aPlainDeclineSentenceStaysUnknownBecauseStripeHidesStolenCardsBehindIt() {
        let stored = GatewayDecline(reason: .cardDeclined(code: "stolen_card"), message: "Your card was declined.", paymentID: nil)
        #expect(DeclineEvidence.stripeCode(describedBy: stored.description) == nil)
        let evidence = DeclineEvidence.card(code: nil, declineCode: nil, via: .savedCard)
        #expect(DeclineClassifier.classify(evidence).severity == .hard)
    }
}
