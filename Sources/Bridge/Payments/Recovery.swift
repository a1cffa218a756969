import Foundation
import Ledger
import Logging
import PosPlusCore

/// Resolves payments whose outcome is in doubt — sent but unanswered, or answered "unknown" —
/// by asking the terminal or processor what it recorded under the attempt's reference.
///
/// Nothing is charged again here: a lookup that finds the payment records its real outcome (and
/// queues its Jobber note if money moved); one that proves the reference was never seen
/// abandons the payment ("nothing was charged"), so staff can charge again knowingly.
///
/// "Not found" proves nothing while the attempt is young: the terminal may still be waiting for
/// the card, or another process may still be sending it, and a late approval would then land on
/// a payment already abandoned. So a payment is abandoned only once its attempt is older than
/// ``notFoundGrace``; until then it stays in doubt (and its invoice stays blocked).
public struct Recovery: Sendable {
    public let ledger: Ledger
    public let logger: Logger
    /// Who the audit log says resolved it.
    public var actor = "recovery"
    /// `receipts.mode` for the answers Recovery finds (an approval found late still gets its receipt).
    public var receiptMode = AutomationMode.off
    /// `declines.mode`: a lost answer found declined starts its recovery unless off.
    public var declineMode = AutomationMode.off
    /// How long after an attempt started "not found" is taken as proof (`recovery.not_found_after`).
    public var notFoundGrace: Duration
    /// Builds a channel for a payment whose channel is not among those handed in, from the
    /// endpoint its attempt recorded (a terminal named by address): `(channel name, endpoint)`.
    public var reach: (@Sendable (String, String) throws -> any PaymentChannel)?

    public init(
        ledger: Ledger, logger: Logger, notFoundAfter: Duration = RecoverySettings().notFoundAfter,
        reach: (@Sendable (String, String) throws -> any PaymentChannel)? = nil
    ) {
        self.ledger = ledger
        self.logger = logger
        self.notFoundGrace = notFoundAfter
        self.reach = reach
    }

    /// What became of one in-doubt payment.
    public struct Resolution: Equatable, Sendable {
        public var paymentID: Int64
        /// The state it reached, or nil if it could not be resolved now.
        public var state: PaymentState?
        public var message: String
    }

    /// Every in-doubt payment whose channel is among `channels`, or can be reached where its
    /// attempt recorded (``reach``); the others are listed as waiting for their terminal or processor.
    public func resolveInDoubt(channels: [any PaymentChannel]) async throws -> [Resolution] {
        var resolutions: [Resolution] = []
        for payment in try ledger.inDoubtPayments() {
            let id = payment.id
            let channel: any PaymentChannel
            do {
                guard let found = try channels.first(where: { $0.name == payment.channel }) ?? recordedChannel(of: payment) else {
                    resolutions.append(Resolution(paymentID: id, state: nil, message: "waiting: \(payment.channel) is not available here"))
                    continue
                }
                channel = found
            } catch {
                resolutions.append(Resolution(paymentID: id, state: nil, message: "waiting: \(error)"))
                continue
            }
            do {
                let resolved = try await resolve(payment, on: channel)
                if resolved.state == .sent || resolved.state == .unknown {
                    resolutions.append(
                        Resolution(
                            paymentID: id, state: nil,
                            message:
                                "not found on \(channel.name) yet; it may still be in progress, so it is abandoned only after \(notFoundGrace.components.seconds / 60) minutes"
                        ))
                } else {
                    resolutions.append(Resolution(paymentID: id, state: resolved.state, message: resolved.message ?? ""))
                }
            } catch {
                resolutions.append(Resolution(paymentID: id, state: nil, message: "\(error)"))
            }
        }
        return resolutions
    }

    /// The channel at the endpoint the payment's open attempt recorded, if any.
    private func recordedChannel(of payment: PaymentRecord) throws -> (any PaymentChannel)? {
        guard let reach, let open = try ledger.attempts(paymentID: payment.id).last(where: { $0.finishedAt == nil }),
            let endpoint = open.endpoint
        else { return nil }
        return try reach(payment.channel, endpoint)
    }

    /// Payments on `channels` recorded but never sent — the process stopped between step 4 and
    /// step 5 — are abandoned once older than `age` (nothing was charged; a retry under the same
    /// key within that time still sends them). Only these channels: a payment another path owns
    /// (a link's webhook, say) is finished by that path. Returns what was abandoned.
    public func abandonStaleIntents(on channels: [any PaymentChannel], olderThan age: Duration = .seconds(600)) throws -> [Resolution] {
        let cutoff = ledger.now().addingTimeInterval(-Double(age.components.seconds))
        let names = Set(channels.map(\.name))
        let stale = try ledger.payments(states: [.intended], limit: 1_000).filter { $0.createdAt < cutoff && names.contains($0.channel) }
        return try stale.map { payment in
            let abandoned = try ledger.abandon(
                paymentID: payment.id, reason: "Recorded but never sent (posplus stopped before asking); nothing was charged.",
                actor: actor)
            return Resolution(paymentID: payment.id, state: abandoned.state, message: abandoned.message ?? "")
        }
    }

    /// Looks up the attempt still open on `payment` and records what the channel says.
    public func resolve(_ payment: PaymentRecord, on channel: any PaymentChannel) async throws -> PaymentRecord {
        let paymentID = payment.id
        guard let attempt = try ledger.attempts(paymentID: paymentID).last(where: { $0.outcome == .inFlight || $0.outcome == .unknown })
        else { return payment }
        let attemptID = attempt.id
        let reference = try PaymentReference(attempt.reference)
        let found: ChannelAnswer
        do { found = try await channel.lookup(reference, operation: payment.operation) } catch {
            // Still in doubt; make that visible if the process died before it was recorded.
            if attempt.outcome == .inFlight { try ledger.finishAttempt(attemptID, with: .unknown(reason: "\(error)"), actor: actor) }
            throw error
        }
        logger.info("in-doubt payment looked up", metadata: ["payment": "\(paymentID)", "reference": "\(reference)"])
        if case .notFound = found.result {
            let age = ledger.now().timeIntervalSince(attempt.startedAt)
            guard age >= Double(notFoundGrace.components.seconds) else {
                logger.info("not found yet; left in doubt", metadata: ["payment": "\(paymentID)", "age_s": "\(Int(age))"])
                return try ledger.payment(id: paymentID) ?? payment
            }
            try ledger.finishAttempt(attemptID, with: .notFound, actor: actor)
            return try ledger.abandon(
                paymentID: paymentID, reason: "\(channel.name) has no record of \(reference): nothing was charged.", actor: actor)
        }
        if case .unknown = found.result { return try ledger.payment(id: paymentID) ?? payment }
        return try AnswerRecording(ledger: ledger, receipts: receiptMode, declines: declineMode).record(
            found, attempt: attemptID, reference: reference, of: payment, channel: channel, actor: actor, noteBy: payment.operator)
    }
}
