extension LedgerMigrations {
    /// 2026-12: risk holds (issue 13, part 4).
    ///
    /// A charge or link the risk signals hold waits as an ordinary approval of kind `charge`
    /// (the approval table took that kind in "approvals hold what issue 13 proposes").
    ///
    /// Two indexes serve the scorer's reads, each read once per scored request:
    /// - `paymentByClient`: a client's earlier payments, newest first (new client, usual amount,
    ///   several small charges in a window). Nothing updates `clientID` or `createdAt`, so the
    ///   index costs one insert per new payment and nothing per answer.
    /// - `paymentDeclinedCard`: declines of a card (brand and last four, all the ledger keeps)
    ///   by when they were answered. Partial: only declined rows are in it, so a sale that is
    ///   approved never touches it.
    static let riskHolds = """
        CREATE INDEX paymentByClient ON payment(clientID, createdAt) WHERE clientID IS NOT NULL;
        CREATE INDEX paymentDeclinedCard ON payment(cardLast4, updatedAt) WHERE state = 'declined' AND cardLast4 IS NOT NULL;
        """
}
