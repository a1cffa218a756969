extension LedgerMigrations {
    /// 2026-12: failed-payment recovery (issue 13, part 2).
    ///
    /// One `declineRecovery` per invoice at a time (the partial unique index): a second decline
    /// on the same invoice while one runs does not start a second sequence that would text the
    /// customer twice. Its `machineJSON` is the sequence's state, so any process carries on where
    /// another stopped. Each action the sequence asks for is a `declineStep`, written in the same
    /// transaction as the state that asked for it, before anything is sent: a crash between the
    /// two leaves a step to finish, never a step forgotten or done twice.
    static let declineRecovery = """
        CREATE TABLE declineRecovery (
          id INTEGER PRIMARY KEY,
          paymentID INTEGER NOT NULL UNIQUE REFERENCES payment(id),
          invoiceID TEXT NOT NULL,
          invoiceNumber TEXT,
          clientID TEXT,
          savedCardID INTEGER REFERENCES cardOnFile(id),
          state TEXT NOT NULL CHECK (state IN ('active', 'finished')),
          explanation TEXT NOT NULL,
          machineJSON TEXT NOT NULL,
          nextWakeAt DATETIME,
          finishReason TEXT,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          CHECK ((state = 'finished') = (finishReason IS NOT NULL))
        );
        CREATE UNIQUE INDEX declineRecoveryActive ON declineRecovery(invoiceID) WHERE state = 'active';
        CREATE TABLE declineStep (
          id INTEGER PRIMARY KEY,
          recoveryID INTEGER NOT NULL REFERENCES declineRecovery(id),
          number INTEGER NOT NULL CHECK (number > 0),
          action TEXT NOT NULL CHECK (action IN ('textLink', 'emailLink', 'retryCard', 'officeTask')),
          tryNumber INTEGER,
          reason TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('proposed', 'due', 'done', 'failed', 'skipped', 'open')),
          approvalID INTEGER REFERENCES approval(id),
          linkID INTEGER REFERENCES paymentLink(id),
          resultPaymentID INTEGER REFERENCES payment(id),
          outcome TEXT,
          decidedBy TEXT,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          UNIQUE (recoveryID, number)
        );
        CREATE INDEX declineStepOpen ON declineStep(state) WHERE state IN ('proposed', 'due', 'open');
        """

    /// 2026-12: a card-on-file sale names the saved card it charged, so a decline's recovery
    /// retries that card and no other of the client's. Nullable, added in place.
    static let paymentSavedCard = """
        ALTER TABLE payment ADD COLUMN savedCardID INTEGER REFERENCES cardOnFile(id);
        """

    /// 2026-12: the approval table takes the kinds issue 13 holds for a person — a step of a
    /// decline's recovery, a charge held for risk, a payment plan, a reminder — rebuilt once
    /// for all of them (SQLite cannot change a CHECK in place). Same columns, same rules.
    static let approvalKinds = """
        CREATE TABLE approvalNew (
          id INTEGER PRIMARY KEY,
          idempotencyKey TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('refund', 'void', 'keyedSale', 'link', 'charge', 'declineStep', 'plan', 'reminder')),
          state TEXT NOT NULL CHECK (state IN ('waiting', 'approved', 'denied')),
          summary TEXT NOT NULL,
          reason TEXT NOT NULL,
          amountMinor INTEGER NOT NULL CHECK (amountMinor >= 0),
          currency TEXT NOT NULL,
          channel TEXT NOT NULL,
          orderJSON TEXT NOT NULL,
          paymentID INTEGER REFERENCES payment(id),
          invoiceNumber TEXT,
          requestedBy TEXT NOT NULL,
          requestedAt DATETIME NOT NULL,
          decidedBy TEXT,
          decidedAt DATETIME,
          note TEXT,
          resultPaymentID INTEGER REFERENCES payment(id),
          resultLinkID INTEGER REFERENCES paymentLink(id),
          CHECK ((state = 'waiting') = (decidedBy IS NULL)),
          CHECK (decidedBy IS NULL OR decidedBy <> requestedBy COLLATE NOCASE)
        );
        INSERT INTO approvalNew (id, idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
          paymentID, invoiceNumber, requestedBy, requestedAt, decidedBy, decidedAt, note, resultPaymentID, resultLinkID)
          SELECT id, idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
          paymentID, invoiceNumber, requestedBy, requestedAt, decidedBy, decidedAt, note, resultPaymentID, resultLinkID FROM approval;
        DROP TABLE approval;
        ALTER TABLE approvalNew RENAME TO approval;
        CREATE INDEX approvalWaiting ON approval(requestedAt) WHERE state = 'waiting';
        """
}

extension LedgerMigrations {
    /// 2026-12: reminders of unpaid invoices (issue 13, part 6). One row per planned reminder,
    /// keyed by the invoice, the due date the plan was made for and its number, so a repeated
    /// webhook plans nothing twice and a changed due date replaces what was still to come.
    static let reminders = """
        CREATE TABLE reminder (
          id INTEGER PRIMARY KEY,
          invoiceID TEXT NOT NULL,
          invoiceNumber TEXT NOT NULL,
          dueKey TEXT NOT NULL,
          number INTEGER NOT NULL CHECK (number > 0),
          day INTEGER NOT NULL,
          sendAt DATETIME NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('scheduled', 'proposed', 'sent', 'skipped')),
          approvalID INTEGER REFERENCES approval(id),
          linkID INTEGER REFERENCES paymentLink(id),
          outcome TEXT,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          UNIQUE (invoiceID, dueKey, number)
        );
        CREATE INDEX reminderOpen ON reminder(invoiceID) WHERE state IN ('scheduled', 'proposed');
        """
}
