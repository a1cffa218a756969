import Foundation

/// Where the invoice behind a decline stands now. Only an open one is ever charged again.
public enum InvoiceCondition: String, Equatable, Sendable {
    case open
    case paid
    /// The customer disputed it (or a charge on it): chasing it now would be the wrong answer.
    case disputed
}

/// What to do next about one decline, with the reason a manager reads.
public enum RetryDecision: Equatable, Sendable {
    /// Charge the saved card again at `at` (inside the local window), try `number` of `of`.
    case retry(at: Date, number: Int, of: Int, reason: String)
    /// Do not touch this card again; ask the customer to pay another way (a payment link).
    case payAnotherWay(reason: String)
    /// Nothing more to do: the invoice is paid or disputed.
    case stop(reason: String)
    /// Ask the customer for nothing yet: the money may already have been taken. A person checks
    /// the terminal's and the ledger's recent payments for the invoice first.
    case checkBeforeAsking(reason: String)

    public var reason: String {
        switch self {
        case .retry(_, _, _, let reason), .payAnotherWay(let reason), .stop(let reason), .checkBeforeAsking(let reason):
            return reason
        }
    }
}

/// The rule-based retry policy: when (if ever) a declined saved card is charged again.
///
/// Rules, in order, each one a sentence in the decision's reason:
/// 1. a paid or disputed invoice is never charged again;
/// 2. a possible duplicate is never retried and gets no link: a person checks first;
/// 3. a hard decline never retries the same card: the customer gets a link instead;
/// 4. only a card on file can be retried (a terminal or link decline had the customer there);
/// 5. at most `retryDays.count` retries, on those local days after the decline;
/// 6. never at night: each try keeps the decline's local time of day when that is inside the
///    window, else it moves to the window's opening on that day.
public struct RetryPolicy: Equatable, Sendable {
    public var rules: RetryRules

    public init(rules: RetryRules) { self.rules = rules }

    /// - Parameter failedRetries: retries of this card already made and declined (not counting
    ///   the first decline).
    public func decide(
        _ decline: DeclineClassification, onSavedCard: Bool, declinedAt: Date, failedRetries: Int, invoice: InvoiceCondition
    ) -> RetryDecision {
        switch invoice {
        case .paid: return .stop(reason: "The invoice is paid: nothing more to collect.")
        case .disputed:
            return .stop(reason: "The invoice is disputed: posplus does not charge or chase it while the dispute is open.")
        case .open: break
        }
        let why = decline.explanation
        if decline.severity == .checkFirst {
            return .checkBeforeAsking(
                reason: "\(why) Check the terminal's and the ledger's recent payments for this invoice before asking the "
                    + "customer again: no retry and no link until a person has checked.")
        }
        guard decline.severity == .soft else {
            return .payAnotherWay(reason: "\(why) The same card is never charged again; send the customer a link to pay another way.")
        }
        guard onSavedCard else {
            return .payAnotherWay(reason: "\(why) There is no saved card to try again; send the customer a link to pay.")
        }
        guard rules.maximumRetries > 0 else {
            return .payAnotherWay(reason: "\(why) Retries are turned off (no retry days); send the customer a link to pay.")
        }
        guard failedRetries < rules.maximumRetries else {
            return .payAnotherWay(
                reason: "\(why) The saved card was tried again \(rules.maximumRetries) times, the most allowed; "
                    + "send the customer a link to pay another way.")
        }
        let day = rules.retryDays[failedRetries]
        let at = rules.placed(daysAfter: day, declinedAt)
        let number = failedRetries + 1
        return .retry(
            at: at, number: number, of: rules.maximumRetries,
            reason: "\(why) Try \(number) of \(rules.maximumRetries): \(day) day\(day == 1 ? "" : "s") after the decline, "
                + "\(rules.localText(at)), inside \(rules.window) local time.")
    }
}

extension RetryRules {
    /// "Tue 2026-03-10 17:30 America/Chicago": the local time a manager expects to read.
    public func localText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " " + timeZone.identifier
    }
}
