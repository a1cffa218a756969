import Receivables
import Testing

@Suite struct DeclineClassifierTests {
    @Test(arguments: [
        ("insufficient_funds", DeclineReason.insufficientFunds), ("do_not_honor", .doNotHonor), ("generic_decline", .doNotHonor),
        ("issuer_not_available", .issuerUnavailable), ("processing_error", .processingError), ("try_again_later", .tryAgainLater),
        ("lost_card", .lostOrStolen), ("stolen_card", .lostOrStolen), ("expired_card", .expired), ("incorrect_number", .invalidAccount),
        ("authentication_required", .authenticationRequired), ("fraudulent", .fraud), ("incorrect_cvc", .incorrectDetails),
    ])
    func stripeDeclineCodesOfASavedCard(code: String, reason: DeclineReason) {
        let classified = DeclineClassifier.classify(.card(code: "card_declined", declineCode: code, via: .savedCard))
        #expect(classified.reason == reason)
        #expect(classified.recognized)
    }

    @Test func softAndHardStripeCodesReadAsAManagerWouldSayThem() {
        let soft = DeclineClassifier.classify(.card(code: "card_declined", declineCode: "insufficient_funds", via: .savedCard))
        #expect(soft.severity == .soft)
        #expect(
            soft.explanation == "Soft decline: not enough money in the account right now (Stripe (saved card) said insufficient_funds).")
        let hard = DeclineClassifier.classify(.card(code: "card_declined", declineCode: "stolen_card", via: .link))
        #expect(hard.severity == .hard)
        #expect(hard.explanation == "Hard decline: the card was reported lost or stolen (Stripe (payment link) said stolen_card).")
    }

    @Test func stripeCodeWithoutADeclineCodeIsReadFromCode() {
        #expect(DeclineClassifier.classify(.card(code: "expired_card", declineCode: nil, via: .savedCard)).reason == .expired)
        #expect(DeclineClassifier.classify(.card(code: "card_declined", declineCode: nil, via: .savedCard)).reason == .doNotHonor)
    }

    @Test func anUnknownCodeIsHardAndSaysItWasUnknown() {
        let classified = DeclineClassifier.classify(.card(code: "card_declined", declineCode: "brand_new_code", via: .savedCard))
        #expect(classified.reason == .unknown)
        #expect(classified.severity == .hard)
        #expect(!classified.recognized)
        #expect(classified.explanation.contains("brand_new_code, a code posplus does not know"))
        #expect(classified.explanation.contains("treated as hard so the same card is not charged again"))
        #expect(DeclineClassifier.classify(.card(code: nil, declineCode: nil, via: .link)).reason == .unknown)
    }

    @Test(arguments: [
        ("R01", DeclineReason.insufficientFunds, DeclineSeverity.soft), ("R09", .insufficientFunds, .soft),
        ("R02", .accountClosed, .hard), ("R03", .invalidAccount, .hard), ("R04", .invalidAccount, .hard),
        ("R10", .notAuthorized, .hard), ("R29", .notAuthorized, .hard), ("r07", .notAuthorized, .hard),
        ("insufficient_funds", .insufficientFunds, .soft), ("account_closed", .accountClosed, .hard),
        ("no_account", .invalidAccount, .hard), ("debit_not_authorized", .notAuthorized, .hard), ("R99", .unknown, .hard),
    ])
    func achReturnCodes(code: String, reason: DeclineReason, severity: DeclineSeverity) {
        let classified = DeclineClassifier.classify(.bankReturn(code: code))
        #expect(classified.reason == reason)
        #expect(classified.severity == severity)
    }

    /// The ledger keeps the POSLink result code on the attempt and `resultText: host message`
    /// on the payment (TerminalChannel / POSLinkMapping); those are what is classified.
    @Test(arguments: [
        ("000100", "DECLINE: INSUFFICIENT FUNDS", DeclineReason.insufficientFunds),
        ("000100", "DECLINE", .doNotHonor), ("000100", "DECLINE: DO NOT HONOR", .doNotHonor),
        ("000100", "DECLINE: ISSUER UNAVAILABLE", .issuerUnavailable), ("000100", "DECLINE: LOST CARD", .lostOrStolen),
        ("000100", "DECLINE: PICK UP CARD", .lostOrStolen), ("000100", "DECLINE: EXPIRED CARD", .expired),
        ("000100", "DECLINE: INVALID CARD", .invalidAccount), ("000100", "DECLINE: SUSPECTED FRAUD", .fraud),
        ("100015", "CVV ERROR", .incorrectDetails), ("100002", "ABORTED", .notAttempted), ("100001", "TIMEOUT", .notAttempted),
        ("000100", "DECLINE: CALL CENTER 7", .unknown), ("100011", "DUP TRANSACTION", .possibleDuplicate),
    ])
    func terminalResultCodesAndHostWords(resultCode: String, message: String, reason: DeclineReason) {
        #expect(DeclineClassifier.classify(.terminal(resultCode: resultCode, message: message)).reason == reason)
    }

    @Test func aHostCodeWinsOverTheWords() {
        let classified = DeclineClassifier.classify(.terminal(resultCode: "000100", message: "DECLINE", hostCode: "51"))
        #expect(classified.reason == .insufficientFunds)
        #expect(classified.explanation.contains("the terminal said 000100 DECLINE host code 51"))
        #expect(DeclineClassifier.classify(.terminal(resultCode: "000100", message: "DECLINE", hostCode: "43")).reason == .lostOrStolen)
    }

    @Test func aCancelledTerminalSaleAsTheLedgerWordsItWasNotRefusedByTheBank() {
        let classified = DeclineClassifier.classify(.terminal(resultCode: nil, message: "Cancelled at the terminal (ABORTED)."))
        #expect(classified.reason == .notAttempted)
        #expect(classified.severity == .soft)
    }

    @Test func everyReasonHasWordsAndAClass() {
        for reason in DeclineReason.allCases {
            #expect(!reason.plainWords.isEmpty)
            let soft: [DeclineReason] = [
                .insufficientFunds, .withdrawalLimit, .issuerUnavailable, .doNotHonor, .processingError, .tryAgainLater, .notAttempted,
            ]
            let expected: DeclineSeverity = reason == .possibleDuplicate ? .checkFirst : soft.contains(reason) ? .soft : .hard
            #expect(reason.severity == expected)
        }
    }
}
