import Foundation

/// One invoice's recovery after a decline, as a pure state machine: events in, actions out.
///
/// Like swift-nio's and Hummingbird's connection state machines, it does no I/O and reads no
/// clock: every event carries its time, and ``nextWakeUp`` says when the owner should send the
/// next `.tick`. The owner carries out the actions: in `auto` mode through the outbox and the
/// one payment path, in `suggest` mode as proposals a person approves. The machine does not
/// know the mode, so both modes follow exactly the same rules.
///
/// The sequence (issue 13, part 2):
/// 1. at the decline: a payment link by SMS, and for a soft decline of a saved card the first
///    retry scheduled by ``RetryPolicy``;
///    (a card declined on a payment link's own page sends nothing: the customer has the link);
/// 2. `emailAfterDays` later, if still unpaid: the link again by email (inside the window);
/// 3. after the second declined retry, or, when no retry is planned, `emailAfterDays` after the
///    email: a task for the office to call the customer;
/// 4. a retry that is approved, or the invoice paid or disputed, ends it at once: nothing
///    scheduled is done after that;
/// 5. a possible duplicate (the money may already be taken) gets only a task for the office to
///    check recent payments, and the sequence ends: no link, no retry, nothing a machine does
///    could tell a second charge from the first.
public struct RecoverySequence: Sendable {
    public enum Event: Equatable, Sendable {
        /// The payment that starts the sequence was declined.
        case declined(DeclineClassification, onSavedCard: Bool, at: Date)
        /// The customer's card was declined on a payment link's own page: they hold the link
        /// already, so nothing is sent at once; the email and the office task follow as usual.
        case declinedOnPaymentPage(DeclineClassification, at: Date)
        /// Time passed; due actions are returned.
        case tick(Date)
        /// The retry asked for by `.chargeSavedCard` was declined again.
        case retryDeclined(DeclineClassification, at: Date)
        case retryApproved(at: Date)
        /// A person chose not to charge the card again (suggest mode: the retry was denied, or the
        /// card was removed): no more retries; the link, email and office task go on as planned.
        case retryWithdrawn(reason: String, at: Date)
        /// Paid by any way (link, counter, cheque recorded in Jobber).
        case invoicePaid(at: Date)
        /// What was declined (a part payment, a deposit, an instalment) has been paid since, by
        /// any way, though more is owed on the invoice: the recovery's job is done.
        case declinedAmountPaid(at: Date)
        case invoiceDisputed(at: Date)
    }

    public enum Channel: String, Equatable, Sendable { case sms, email }

    public enum Action: Equatable, Sendable {
        case sendLink(Channel, reason: String)
        /// Charge the saved card off-session now (try `number`); answer with `.retryDeclined` or
        /// `.retryApproved`.
        case chargeSavedCard(number: Int, reason: String)
        case createOfficeTask(reason: String)
        /// The sequence is over; anything still scheduled is dropped.
        case finish(reason: String)
    }

    public let policy: RetryPolicy
    public private(set) var state: State = .waiting

    public enum State: Equatable, Sendable, Codable {
        case waiting
        case active(Progress)
        case finished(reason: String)
    }

    /// What has happened and what is due, while the sequence runs.
    public struct Progress: Equatable, Sendable, Codable {
        public var decline: DeclineClassification
        public var onSavedCard: Bool
        public var declinedAt: Date
        public var failedRetries = 0
        public var retryAt: Date?
        public var retryReason = ""
        /// A retry was asked for and its answer has not come back: nothing else is charged.
        public var retryInFlight = false
        public var emailAt: Date?
        public var officeTaskAt: Date?
        public var officeTaskCreated = false
        /// Started by a decline on a payment link's page (nil in states kept before it existed).
        public var onPaymentPage: Bool? = nil
    }

    public init(policy: RetryPolicy) { self.policy = policy }

    /// A sequence carried on from a stored `state`: its owner keeps the state between events
    /// (in the ledger, so a restart or another process carries on where it stopped), while the
    /// policy is today's config, so a changed retry window applies to what is still scheduled.
    public init(policy: RetryPolicy, state: State) {
        self.policy = policy
        self.state = state
    }

    /// When the owner should send the next `.tick`; nil when nothing is scheduled.
    public var nextWakeUp: Date? {
        guard case .active(let progress) = state else { return nil }
        let retry = progress.retryInFlight ? nil : progress.retryAt
        return [retry, progress.emailAt, progress.officeTaskAt].compactMap { $0 }.min()
    }

    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.finished, _):
            return []  // paid, disputed or recovered: late events change nothing
        case (_, .invoicePaid):
            return finish("The invoice is paid: the recovery sequence stops and nothing scheduled is sent or charged.")
        case (_, .declinedAmountPaid):
            return finish("What was declined has been paid: the recovery sequence stops and nothing scheduled is sent or charged.")
        case (_, .invoiceDisputed):
            return finish("The invoice is disputed: the recovery sequence stops; the dispute is handled by a person.")
        case (.waiting, .declined(let decline, let onSavedCard, let at)):
            return start(decline, onSavedCard: onSavedCard, at: at)
        case (.waiting, .declinedOnPaymentPage(let decline, let at)):
            return startOnPaymentPage(decline, at: at)
        case (.waiting, _):
            return []
        case (.active, .declined), (.active, .declinedOnPaymentPage):
            return []  // one sequence per invoice: a second decline does not restart it
        case (.active(var progress), .tick(let now)):
            let actions = due(&progress, now: now)
            state = .active(progress)
            return actions
        case (.active(let progress), .retryApproved):
            return finish("Try \(progress.failedRetries + 1) of the saved card was approved: the invoice is paid.")
        case (.active(var progress), .retryWithdrawn(let reason, let at)):
            guard progress.retryInFlight || progress.retryAt != nil else { return [] }
            progress.retryInFlight = false
            progress.retryAt = nil
            if progress.officeTaskAt == nil, !progress.officeTaskCreated {
                // No retry will come: the office follows up once the email has had its days.
                progress.officeTaskAt = policy.rules.placed(daysAfter: policy.rules.emailAfterDays, progress.emailAt ?? at)
            }
            state = .active(progress)
            return [.sendLink(.sms, reason: "\(reason) The customer gets a link to pay another way.")]
        case (.active(var progress), .retryDeclined(let decline, let at)):
            let actions = retryDeclined(&progress, decline, at: at)
            state = .active(progress)
            return actions
        }
    }

    private mutating func finish(_ reason: String) -> [Action] {
        state = .finished(reason: reason)
        return [.finish(reason: reason)]
    }

    private mutating func start(_ decline: DeclineClassification, onSavedCard: Bool, at: Date) -> [Action] {
        var progress = Progress(decline: decline, onSavedCard: onSavedCard, declinedAt: at)
        let rules = policy.rules
        progress.emailAt = rules.placed(daysAfter: rules.emailAfterDays, at)
        let decision = policy.decide(decline, onSavedCard: onSavedCard, declinedAt: at, failedRetries: 0, invoice: .open)
        if case .checkBeforeAsking(let reason) = decision {
            state = .finished(reason: Self.checkedByAPerson)
            return [.createOfficeTask(reason: reason), .finish(reason: Self.checkedByAPerson)]
        }
        let linkReason: String
        if case .retry(let retryAt, _, _, let reason) = decision {
            progress.retryAt = retryAt
            progress.retryReason = reason
            linkReason = "\(reason) Meanwhile the customer can pay by link."
        } else {
            linkReason = decision.reason
            // No retry will come: the office follows up after the email has had its days.
            progress.officeTaskAt = rules.placed(daysAfter: rules.emailAfterDays, progress.emailAt!)
        }
        state = .active(progress)
        return [.sendLink(.sms, reason: linkReason)]
    }

    /// The customer has the link in hand and just saw it refuse their card: a text now would
    /// only repeat it. If it is still unpaid `emailAfterDays` later, a link goes by email; the
    /// office calls `emailAfterDays` after that. A possible duplicate goes to a person at once.
    private mutating func startOnPaymentPage(_ decline: DeclineClassification, at: Date) -> [Action] {
        var progress = Progress(decline: decline, onSavedCard: false, declinedAt: at)
        progress.onPaymentPage = true
        let decision = policy.decide(decline, onSavedCard: false, declinedAt: at, failedRetries: 0, invoice: .open)
        if case .checkBeforeAsking(let reason) = decision {
            state = .finished(reason: Self.checkedByAPerson)
            return [.createOfficeTask(reason: reason), .finish(reason: Self.checkedByAPerson)]
        }
        let rules = policy.rules
        progress.emailAt = rules.placed(daysAfter: rules.emailAfterDays, at)
        progress.officeTaskAt = rules.placed(daysAfter: rules.emailAfterDays, progress.emailAt!)
        state = .active(progress)
        return []
    }

    private func due(_ progress: inout Progress, now: Date) -> [Action] {
        var actions: [Action] = []
        if let emailAt = progress.emailAt, emailAt <= now {
            progress.emailAt = nil
            let after = progress.onPaymentPage == true ? "the card was declined on the payment page" : "the text"
            actions.append(
                .sendLink(.email, reason: "Still unpaid \(policy.rules.emailAfterDays) days after \(after): the link again by email."))
        }
        if !progress.retryInFlight, let retryAt = progress.retryAt, retryAt <= now {
            progress.retryAt = nil
            progress.retryInFlight = true
            actions.append(.chargeSavedCard(number: progress.failedRetries + 1, reason: progress.retryReason))
        }
        if let taskAt = progress.officeTaskAt, taskAt <= now, !progress.officeTaskCreated {
            progress.officeTaskAt = nil
            progress.officeTaskCreated = true
            actions.append(
                .createOfficeTask(
                    reason: "Still unpaid after the \(progress.onPaymentPage == true ? "declined payment page" : "text") and the email: "
                        + "call the customer. \(progress.decline.explanation)"))
        }
        return actions
    }

    private func retryDeclined(_ progress: inout Progress, _ decline: DeclineClassification, at: Date) -> [Action] {
        guard progress.retryInFlight else { return [] }  // an answer nobody asked for
        progress.retryInFlight = false
        progress.failedRetries += 1
        var actions: [Action] = []
        if progress.failedRetries >= 2, !progress.officeTaskCreated {
            progress.officeTaskCreated = true
            progress.officeTaskAt = nil
            actions.append(
                .createOfficeTask(
                    reason: "The saved card was declined again on try \(progress.failedRetries) (\(decline.explanation)) Call the customer."
                ))
        }
        // The schedule counts from the first decline; the latest answer decides soft or hard.
        let decision = policy.decide(
            decline, onSavedCard: progress.onSavedCard, declinedAt: progress.declinedAt, failedRetries: progress.failedRetries,
            invoice: .open)
        switch decision {
        case .retry(let retryAt, _, _, let reason):
            progress.retryAt = retryAt
            progress.retryReason = reason
        case .payAnotherWay(let reason):
            actions.append(.sendLink(.sms, reason: reason))
        case .stop:
            break
        case .checkBeforeAsking(let reason):
            // A retry answered as a duplicate: the card may have been charged after all.
            progress.retryAt = nil
            progress.emailAt = nil
            progress.officeTaskAt = nil
            progress.officeTaskCreated = true
            actions.append(.createOfficeTask(reason: reason))
        }
        return actions
    }

    static let checkedByAPerson =
        "Nothing more is sent or charged on its own: once a person has checked, they charge or send a link by hand."
}
