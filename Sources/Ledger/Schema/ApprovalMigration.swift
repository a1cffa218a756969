extension LedgerMigrations {
    /// 2026-12: requests that wait for a manager (issue 12, part 4).
    ///
    /// One row per held request, keyed by the idempotency key the request will run under once
    /// approved, so approving twice (or approving again after a crash mid-way) carries on the
    /// same payment instead of making a second one. `orderJSON` is the request exactly as it was
    /// asked, run unchanged on approval. The CHECKs keep the rules in the data itself: a decision
    /// names who made it, and the person who asked never decides. (`link` is allowed by the
    /// CHECK for payment links over a threshold, which are not held yet, so adding them needs no
    /// table rebuild.)
    static let approvals = """
        CREATE TABLE approval (
          id INTEGER PRIMARY KEY,
          idempotencyKey TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('refund', 'void', 'keyedSale', 'link')),
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
          CHECK ((state = 'waiting') = (decidedBy IS NULL)),
          CHECK (decidedBy IS NULL OR decidedBy <> requestedBy COLLATE NOCASE)
        );
        CREATE INDEX approvalWaiting ON approval(requestedAt) WHERE state = 'waiting';
        """
}

extension LedgerMigrations {
    /// 2026-12: a payment link held over `approvals.link_over` makes a link, not a payment, once
    /// approved; the approval names it, as `resultPaymentID` names a payment. Added in place
    /// (nullable, no default), so existing rows need no rebuild.
    static let approvalResultLink = """
        ALTER TABLE approval ADD COLUMN resultLinkID INTEGER REFERENCES paymentLink(id);
        """
}
