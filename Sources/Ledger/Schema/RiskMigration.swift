extension LedgerMigrations {
    /// 2026-12: risk holds (issue 13, part 4).
    ///
    /// A charge or link the risk signals hold waits as an ordinary approval of kind `charge`,
    /// which the approval table's CHECK did not allow: SQLite cannot change a CHECK in place, so
    /// the table is rebuilt with the same columns (`resultLinkID`, added later, at its end as
    /// before), rows and index. Nothing references `approval`, so no foreign key follows it.
    ///
    /// Two indexes serve the scorer's reads, each read once per scored request:
    /// - `paymentByClient`: a client's earlier payments, newest first (new client, usual amount,
    ///   several small charges in a window). Nothing updates `clientID` or `createdAt`, so the
    ///   index costs one insert per new payment and nothing per answer.
    /// - `paymentDeclinedCard`: declines of a card (brand and last four, all the ledger keeps)
    ///   by when they were answered. Partial: only declined rows are in it, so a sale that is
    ///   approved never touches it.
    static let riskHolds = """
        CREATE TABLE approvalRebuilt (
          id INTEGER PRIMARY KEY,
          idempotencyKey TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('refund', 'void', 'keyedSale', 'link', 'charge')),
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
        INSERT INTO approvalRebuilt (id, idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
          paymentID, invoiceNumber, requestedBy, requestedAt, decidedBy, decidedAt, note, resultPaymentID, resultLinkID)
        SELECT id, idempotencyKey, kind, state, summary, reason, amountMinor, currency, channel, orderJSON,
          paymentID, invoiceNumber, requestedBy, requestedAt, decidedBy, decidedAt, note, resultPaymentID, resultLinkID
        FROM approval;
        DROP TABLE approval;
        ALTER TABLE approvalRebuilt RENAME TO approval;
        CREATE INDEX approvalWaiting ON approval(requestedAt) WHERE state = 'waiting';

        CREATE INDEX paymentByClient ON payment(clientID, createdAt) WHERE clientID IS NOT NULL;
        CREATE INDEX paymentDeclinedCard ON payment(cardLast4, updatedAt) WHERE state = 'declined' AND cardLast4 IS NOT NULL;
        """
}
