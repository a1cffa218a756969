import Foundation
import GRDB
import PosPlusCore

extension Ledger {
    /// Records the intent to move money, before anything is sent (step 4 of the payment path).
    ///
    /// Idempotent: the same key with the same request returns the payment already recorded
    /// under it, in whatever state it has reached; the same key with a different request is
    /// refused. A refund is checked against the original's refund ceiling *including* refunds
    /// still in flight, inside the same transaction, so two concurrent refunds can never add up
    /// to more than was captured.
    ///
    /// `owedOnInvoice` (Jobber's balance, for a charge on an invoice; for a deposit on a quote,
    /// the deposit still to collect) makes the same transaction check the invoice's (or quote's)
    /// ``InvoiceStanding``: no other charge on it unresolved, and no more than that amount minus
    /// what posplus already collected, and — unless `splitTender` — no money already taken on
    /// it (see ``InvoiceStanding/check(_:owed:invoice:splitTender:)``). Facts reported by a
    /// processor (a paid link) are recorded without it: that money has moved whatever the
    /// ledger thinks.
    public func begin(
        _ request: PaymentRequest, idempotencyKey: IdempotencyKey, operator actor: String, owedOnInvoice owed: Money? = nil,
        splitTender: Bool = false
    ) throws -> BeginOutcome {
        try write { db in
            // A two-column probe first: decoding a whole record costs more than the commit's
            // fsync, and on the hot path (a new key) there is nothing to decode.
            let probe = try db.cachedStatement(sql: "SELECT id, requestFingerprint FROM payment WHERE idempotencyKey = ?")
            if let row = try Row.fetchOne(probe, arguments: [idempotencyKey.rawValue]) {
                let id: Int64 = row["id"]
                guard row["requestFingerprint"] == request.fingerprint else {
                    throw LedgerError.idempotencyKeyReused(key: idempotencyKey.rawValue, existingPaymentID: id)
                }
                guard let existing = try PaymentRecord.fetchOne(db, key: id) else { throw LedgerError.paymentNotFound("\(id)") }
                return .existing(existing)
            }
            // The edge (CLI, API) checks these; the ledger still never keeps a card number, and
            // refusing here, before anything is sent, loses nothing.
            guard !CardNumberScreen.mayHoldCardNumber(actor) else { throw LedgerError.cardDataRefused(field: "the operator name") }
            if let client = request.clientID, CardNumberScreen.mayHoldCardNumber(client) {
                throw LedgerError.cardDataRefused(field: "the client id")
            }
            let domain: Payment
            do { domain = try Payment(operation: request.operation, requested: request.amount) } catch let error as PaymentTransitionError {
                throw LedgerError.transition(error)
            }
            try PaymentRules.checkOriginal(for: request, in: db)
            if let owed, request.operation.collectsMoney {
                if let invoiceID = request.invoiceID {
                    try InvoiceStanding.load(invoiceID: invoiceID, in: db).check(
                        request.amount, owed: owed, invoice: request.invoiceNumber ?? invoiceID, splitTender: splitTender)
                } else if let quoteID = request.quoteID {
                    try InvoiceStanding.load(quoteID: quoteID, in: db).checkDeposit(
                        request.amount, owed: owed, quote: quoteID, splitTender: splitTender)
                }
            }

            let time = now()
            let record = try PaymentRecord.insertIntent(
                request, idempotencyKey: idempotencyKey.rawValue, state: domain.state, operator: actor, at: time, in: db)
            try AuditChain.append(
                db, kind: "payment.begin", paymentID: record.id, actor: actor,
                detail: [
                    "operation": .text(request.operation.rawValue), "amount": .integer(request.amount.minorUnits),
                    "currency": .text(request.amount.currency.code), "invoice": AuditValue(request.invoiceNumber ?? request.invoiceID),
                    "original": request.originalPaymentID.map(AuditValue.integer) ?? .null, "channel": .text(request.channel),
                    "idempotencyKey": .text(idempotencyKey.rawValue),
                ], at: time)
            return .created(record)
        }
    }

    /// Records that an attempt is about to be sent under `reference`: the payment moves from
    /// intended to sent *before* the first byte goes out, so a crash mid-send leaves a trace
    /// that Recovery resolves by looking the reference up.
    /// `endpoint` is where the request goes when the channel's name cannot find it again.
    /// `owner` names the process sending it, so a run with the same key can tell a live sender
    /// (wait for its answer) from a dead one (look the payment up).
    public func startAttempt(
        paymentID: Int64, reference: PaymentReference, actor: String, endpoint: String? = nil, owner: String? = nil
    ) throws -> AttemptRecord {
        try write { db in
            var payment = try PaymentRules.fetchPayment(paymentID, in: db)
            if let open = try AttemptRecord.filter(Column("paymentID") == paymentID)
                .filter([AttemptRecord.Outcome.inFlight.rawValue, AttemptRecord.Outcome.unknown.rawValue].contains(Column("outcome")))
                .fetchOne(db)
            {
                throw LedgerError.attemptInProgress(paymentID: paymentID, reference: open.reference)
            }
            let next = try PaymentRules.apply(.send, to: payment)
            let time = now()
            let number = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE paymentID = ?", arguments: [paymentID]) ?? 0
            let attempt = try AttemptRecord.Draft(
                paymentID: paymentID, number: number + 1, reference: reference.rawValue, channel: payment.channel, outcome: .inFlight,
                startedAt: time, endpoint: endpoint, owner: owner
            ).insertAndFetch(db, as: AttemptRecord.self)
            payment.adopt(next, at: time)
            try payment.update(db)
            try AuditChain.append(
                db, kind: "attempt.start", paymentID: paymentID, actor: actor,
                detail: [
                    "reference": .text(reference.rawValue), "attempt": .integer(Int64(attempt.number)), "channel": .text(payment.channel),
                ],
                at: time)
            return attempt
        }
    }

    /// Records what the terminal or gateway answered, and enqueues follow-up work (Jobber
    /// write-back, receipt) in the same transaction, so it cannot be lost or done twice.
    ///
    /// An approved refund or void also updates the original payment here. If that update is
    /// refused (a refund ceiling changed underneath), the answer is still recorded — money
    /// moved — and an anomaly is written to the audit log for reconciliation.
    @discardableResult
    public func finishAttempt(
        _ attemptID: Int64, with answer: AttemptResult, actor: String, jobs: [NewOutboxJob] = [],
        ifDeclined declineJobs: [NewOutboxJob] = []
    ) throws -> PaymentRecord {
        try write { db in
            guard var attempt = try AttemptRecord.fetchOne(db, key: attemptID) else { throw LedgerError.attemptNotFound(attemptID) }
            var payment = try PaymentRules.fetchPayment(attempt.paymentID, in: db)
            let result = PaymentRules.normalized(answer, requested: payment.requested)
            guard attempt.outcome == .inFlight || attempt.outcome == .unknown else {
                // Answered already — a lookup by another run found it first. The answer stands
                // as recorded; one that disagrees is kept in the audit log for reconciliation.
                let late = PaymentRules.outcome(of: PaymentRules.normalized(answer, requested: payment.requested))
                if late != attempt.outcome, late != .unknown {
                    try AuditChain.append(
                        db, kind: "payment.anomaly", paymentID: payment.id, actor: actor,
                        detail: [
                            "problem": .text(
                                "a later answer (\(late.rawValue)) disagrees with the recorded one (\(attempt.outcome.rawValue))"),
                            "reference": .text(attempt.reference),
                        ], at: now())
                }
                return payment
            }
            if case .unknown = result, attempt.outcome == .unknown { return payment }  // nothing new learned

            let domain = payment.payment
            let event = try PaymentRules.event(for: result, requested: domain.requested)
            let next = try PaymentRules.apply(event, to: payment)
            let time = now()

            attempt.outcome = PaymentRules.outcome(of: result)
            attempt.finishedAt = PaymentRules.isUnresolved(result) ? nil : time
            let details = PaymentRules.details(of: result)
            attempt.resultCode = CardDataScrubber.scrub(details?.resultCode)
            attempt.message = CardDataScrubber.scrub(details?.message ?? PaymentRules.reason(of: result))
            attempt.authCode = CardDataScrubber.scrub(details?.authCode)
            attempt.processorReference = CardDataScrubber.scrub(details?.processorReference)
            attempt.deviceRecordNumber = CardDataScrubber.scrub(details?.deviceRecordNumber)
            let codes = (details?.codes ?? DeclineCodes()).stored
            attempt.hostCode = codes.hostCode
            attempt.gatewayCode = codes.gatewayCode
            attempt.gatewayDeclineCode = codes.gatewayDeclineCode
            try attempt.update(db)

            payment.adopt(next, at: time)
            payment.message = attempt.message
            if let details {
                payment.authCode = attempt.authCode ?? payment.authCode
                payment.processorReference = attempt.processorReference ?? payment.processorReference
                if let card = details.card {
                    payment.cardBrand = card.brand
                    payment.cardLast4 = card.last4
                }
                if let reading = details.cardReading { payment.adopt(reading) }
            }
            try payment.update(db)
            try AuditChain.append(
                db, kind: "attempt.finish", paymentID: payment.id, actor: actor,
                detail: [
                    "reference": .text(attempt.reference), "outcome": .text(attempt.outcome.rawValue),
                    "state": .text(payment.state.rawValue), "captured": .integer(payment.capturedMinor),
                    "authCode": AuditValue(payment.authCode), "resultCode": AuditValue(attempt.resultCode),
                ], at: time)
            try PaymentRules.applyToOriginal(of: payment, in: db, actor: actor, at: time)
            // Follow-up work belongs to money that moved: an answer read as "in doubt" or
            // "declined" after all queues none of what the caller prepared for it.
            if PaymentRules.movedMoney(result) { try Ledger.enqueueFollowUps(jobs, of: payment, in: db, actor: actor, at: time) }
            // A decline's own follow-up (its recovery) rides with it just as surely.
            if payment.state == .declined { try Ledger.enqueueFollowUps(declineJobs, of: payment, in: db, actor: actor, at: time) }
            return payment
        }
    }

    /// Drops a payment that was never sent (or whose attempts were all proved not found).
    @discardableResult
    public func abandon(paymentID: Int64, reason: String, actor: String) throws -> PaymentRecord {
        try transition(paymentID, by: .abandon, kind: "payment.abandon", reason: reason, actor: actor)
    }

    /// Records that the processor settled the funds (batch closed, ACH cleared), with the
    /// follow-up work that waited for it (a bank debit's Jobber write-back) in the same transaction.
    @discardableResult
    public func settle(paymentID: Int64, actor: String, jobs: [NewOutboxJob] = []) throws -> PaymentRecord {
        try transition(paymentID, by: .settle, kind: "payment.settle", reason: nil, actor: actor, jobs: jobs)
    }

    /// Records that the bank returned an ACH debit, possibly after it settled.
    @discardableResult
    public func recordBankReturn(paymentID: Int64, reason: String, actor: String, jobs: [NewOutboxJob] = []) throws -> PaymentRecord {
        try transition(paymentID, by: .bankReturn, kind: "payment.bankReturn", reason: reason, actor: actor, jobs: jobs)
    }

    private func transition(
        _ paymentID: Int64, by event: PaymentEvent, kind: String, reason: String?, actor: String, jobs: [NewOutboxJob] = []
    ) throws -> PaymentRecord {
        try write { db in
            var payment = try PaymentRules.fetchPayment(paymentID, in: db)
            let next = try PaymentRules.apply(event, to: payment)
            let time = now()
            payment.adopt(next, at: time)
            if let reason { payment.message = CardDataScrubber.scrub(reason) }
            try payment.update(db)
            try AuditChain.append(
                db, kind: kind, paymentID: paymentID, actor: actor,
                detail: ["state": .text(payment.state.rawValue), "reason": AuditValue(payment.message)], at: time)
            try Ledger.enqueueFollowUps(jobs, of: payment, in: db, actor: actor, at: time)
            return payment
        }
    }

    /// Queues the work that follows money that moved, in the transaction that records it. A job
    /// the outbox refuses (its payload looks like card data) is left out with an audited anomaly
    /// instead: refusing would roll back the record of money that really moved.
    static func enqueueFollowUps(_ jobs: [NewOutboxJob], of payment: PaymentRecord, in db: Database, actor: String, at time: Date)
        throws
    {
        for job in jobs {
            do { _ = try enqueue(job, paymentID: payment.id, in: db, at: time, actor: actor) } catch LedgerError.cardDataRefused(let field)
            {
                try AuditChain.append(
                    db, kind: "payment.anomaly", paymentID: payment.id, actor: actor,
                    detail: ["problem": .text("\(job.kind) not queued: \(field) looked like card data"), "job": .text(job.dedupeKey)],
                    at: time)
            }
        }
    }
}
