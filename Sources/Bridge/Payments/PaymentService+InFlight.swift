import Foundation
import Ledger
import PosPlusCore

/// The boundaries between the steps of a payment, as ``PaymentService/stepObserver`` hears
/// them. A process that dies at any of them leaves the ledger in a state Recovery and a retry
/// under the same key finish without charging twice; the crash test proves it at each one.
public enum PaymentStep: String, Sendable, CaseIterable {
    /// The intent is durable; nothing has been sent.
    case intentRecorded = "intent-recorded"
    /// The attempt and its reference are durable; the request is about to go out.
    case attemptStarted = "attempt-started"
    /// The terminal or processor answered; the answer is not recorded yet.
    case answered
    /// The answer and its follow-up work are recorded.
    case answerRecorded = "answer-recorded"
}

extension PaymentService {
    /// Whether the payment's open attempt belongs to a run that is still waiting for the answer:
    /// its process is alive (on this machine) and the attempt is younger than
    /// ``inFlightPatience``. An attempt whose process died is not waited for.
    func isBeingSent(_ payment: PaymentRecord) throws -> Bool {
        guard let open = try ledger.attempts(paymentID: payment.id).last(where: { $0.outcome == .inFlight }) else { return false }
        if let owner = open.owner, !ProcessIdentity.isAlive(owner) { return false }
        return ledger.now().timeIntervalSince(open.startedAt) < Double(inFlightPatience.components.seconds)
    }

    /// Another run (the same key, twice at once) is sending this payment: wait for the answer
    /// it records instead of sending again or failing. Once that run is gone (its process
    /// died, or its attempt is older than ``inFlightPatience``), look the payment up as
    /// Recovery would.
    func awaitAnswer(to payment: PaymentRecord, on channel: any PaymentChannel) async throws -> PaymentRecord {
        let paymentID = payment.id
        let interval = Duration.milliseconds(250)
        var waited = Duration.zero
        while waited < inFlightPatience {
            let current = try ledger.payment(id: paymentID) ?? payment
            guard current.state == .intended || current.state == .sent else { return current }
            if current.state == .sent, try !isBeingSent(current) { break }
            try await waitClock.sleep(for: interval)
            waited += interval
        }
        let current = try ledger.payment(id: paymentID) ?? payment
        return current.state == .sent || current.state == .unknown ? try await recovery.resolve(current, on: channel) : current
    }
}
