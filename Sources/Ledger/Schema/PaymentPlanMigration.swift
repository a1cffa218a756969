extension LedgerMigrations {
    /// 2026-12: payment plans (issue 13, part 3) and the approvals that hold them.
    ///
    /// A plan is one invoice's balance split into instalments the client agreed to; each
    /// instalment is charged on a saved card or asked for by a payment link when it falls due.
    /// The schema keeps the rules in the data: amounts in minor units, positive; one live plan
    /// per invoice (a partial UNIQUE index), so two front desks cannot put the same balance on
    /// two plans; an instalment is paid by exactly one way (a saved card or a link to someone);
    /// and an instalment number is used once per plan, which is what makes its idempotency key
    /// (`plan-ID-N`) name one charge for ever.
    ///
    /// A plan over `plans.approve_over` waits for a manager in the same queue as refunds and
    /// links: `approval.kind` took `plan` in "approvals hold what issue 13 proposes".
    static let paymentPlans = """
        CREATE TABLE paymentPlan (
          id INTEGER PRIMARY KEY,
          invoiceID TEXT NOT NULL,
          invoiceNumber TEXT NOT NULL,
          clientID TEXT NOT NULL,
          clientName TEXT NOT NULL,
          currency TEXT NOT NULL CHECK (length(currency) = 3),
          totalMinor INTEGER NOT NULL CHECK (totalMinor > 0),
          state TEXT NOT NULL CHECK (state IN ('proposed', 'waitingApproval', 'accepted', 'cancelled', 'completed')),
          optionNumber INTEGER NOT NULL CHECK (optionNumber BETWEEN 1 AND 9),
          optionSummary TEXT NOT NULL,
          reason TEXT NOT NULL,
          createdBy TEXT NOT NULL,
          createdAt DATETIME NOT NULL,
          decidedBy TEXT,
          decidedAt DATETIME,
          approvalID INTEGER REFERENCES approval(id),
          endedReason TEXT,
          updatedAt DATETIME NOT NULL,
          CHECK ((state IN ('accepted', 'completed')) <= (decidedBy IS NOT NULL))
        );
        CREATE UNIQUE INDEX paymentPlanLive ON paymentPlan(invoiceID) WHERE state IN ('proposed', 'waitingApproval', 'accepted');
        CREATE INDEX paymentPlanByInvoiceNumber ON paymentPlan(invoiceNumber);

        CREATE TABLE planInstalment (
          id INTEGER PRIMARY KEY,
          planID INTEGER NOT NULL REFERENCES paymentPlan(id),
          number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
          currency TEXT NOT NULL CHECK (length(currency) = 3),
          amountMinor INTEGER NOT NULL CHECK (amountMinor > 0),
          dueAt DATETIME NOT NULL,
          savedCardID INTEGER REFERENCES cardOnFile(id),
          linkRecipient TEXT,
          state TEXT NOT NULL CHECK (state IN ('scheduled', 'charged', 'linkSent', 'paid', 'failed', 'cancelled')),
          paymentID INTEGER REFERENCES payment(id),
          linkID INTEGER REFERENCES paymentLink(id),
          note TEXT,
          updatedAt DATETIME NOT NULL,
          UNIQUE (planID, number),
          CHECK ((savedCardID IS NULL) <> (linkRecipient IS NULL))
        );
        """
}
