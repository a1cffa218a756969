import Foundation

/// What posplus would do about one decline if nothing changes: the class, the reason, and the
/// steps of the recovery sequence with their local times. Read-only: it proposes, it does not
/// schedule anything.
///
/// The steps come from running ``RecoverySequence`` forward on its own wake-ups, answering
/// every retry with the same decline and never with a payment: the longest the sequence can
/// run. A payment at any point ends it, as the plan's last line says.
public struct DeclinePlan: Equatable, Sendable {
    public struct Step: Equatable, Sendable {
        public var at: Date
        public var action: RecoverySequence.Action
    }

    public var classification: DeclineClassification
    public var decision: RetryDecision
    public var steps: [Step]
    /// Declined on a payment link's own page: the customer holds that link already.
    public var onPaymentPage = false

    /// - Parameter onPaymentPage: declined on a payment link's own page: nothing is sent at once.
    public static func propose(
        for evidence: DeclineEvidence, declinedAt: Date, invoice: InvoiceCondition = .open, rules: RetryRules,
        onPaymentPage: Bool = false
    ) -> DeclinePlan {
        let classification = DeclineClassifier.classify(evidence)
        let policy = RetryPolicy(rules: rules)
        let decision = policy.decide(
            classification, onSavedCard: evidence.isRetryable, declinedAt: declinedAt, failedRetries: 0, invoice: invoice)
        guard invoice == .open else { return DeclinePlan(classification: classification, decision: decision, steps: []) }
        var machine = RecoverySequence(policy: policy)
        let declined: RecoverySequence.Event =
            onPaymentPage
            ? .declinedOnPaymentPage(classification, at: declinedAt)
            : .declined(classification, onSavedCard: evidence.isRetryable, at: declinedAt)
        var steps = machine.handle(declined).map {
            Step(at: declinedAt, action: $0)
        }
        while let wake = machine.nextWakeUp, steps.count < 32 {
            for action in machine.handle(.tick(wake)) {
                steps.append(Step(at: wake, action: action))
                guard case .chargeSavedCard = action else { continue }
                steps += machine.handle(.retryDeclined(classification, at: wake)).map { Step(at: wake, action: $0) }
            }
        }
        return DeclinePlan(classification: classification, decision: decision, steps: steps, onPaymentPage: onPaymentPage)
    }

    /// The plan as a manager reads it, one line per step, local times. `canText` and `canEmail`
    /// say whether the client has a phone that takes texts and an email: a link goes the other
    /// way when they lack the one asked for, and the line says so.
    public func lines(rules: RetryRules, canText: Bool = true, canEmail: Bool = true) -> [String] {
        let next =
            onPaymentPage
            ? "The customer holds the link and may try another card on it now; nothing is sent at once."
            : decision.reason
        var lines = [classification.explanation, "Next: " + next]
        guard !steps.isEmpty else { return lines }
        lines.append("If nothing changes:")
        for (index, step) in steps.enumerated() {
            lines.append("  \(index + 1). \(rules.localText(step.at)): \(Self.words(step.action, canText: canText, canEmail: canEmail))")
        }
        lines.append("The moment the invoice is paid or disputed, the rest is dropped.")
        return lines
    }

    static func words(_ action: RecoverySequence.Action, canText: Bool = true, canEmail: Bool = true) -> String {
        switch action {
        case .sendLink(.sms, _) where !canText && canEmail:
            return "email the customer a payment link (no phone that takes texts)"
        case .sendLink(.email, _) where !canEmail && canText: return "text the payment link again (no email)"
        case .sendLink(.sms, _): return "text the customer a payment link"
        case .sendLink(.email, _): return "email the payment link"
        case .chargeSavedCard(let number, _): return "charge the saved card again (try \(number))"
        case .createOfficeTask: return "a task for the office: call the customer"
        case .finish(let reason): return reason
        }
    }
}
