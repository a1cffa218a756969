extension LedgerMigrations {
    /// 2026-12: card disputes (chargebacks) as the processor reports them.
    ///
    /// Jobber's API has no disputes, so the ledger is where posplus learns that a cardholder's
    /// bank took a payment back. One row per processor dispute, updated as its status moves
    /// (needs response → under review → won or lost); an open dispute stops every automated
    /// chaser of the invoice and refuses refunds of the disputed payment (the bank is already
    /// returning the money: a refund would return it twice).
    static let disputes = """
        CREATE TABLE dispute (
          id INTEGER PRIMARY KEY,
          processor TEXT NOT NULL,
          processorDisputeID TEXT NOT NULL,
          paymentID INTEGER NOT NULL REFERENCES payment(id),
          invoiceID TEXT,
          clientID TEXT,
          currency TEXT NOT NULL CHECK (length(currency) = 3),
          amountMinor INTEGER NOT NULL CHECK (amountMinor > 0),
          reason TEXT NOT NULL,
          status TEXT NOT NULL,
          isOpen BOOLEAN NOT NULL,
          openedAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          closedAt DATETIME,
          UNIQUE (processor, processorDisputeID)
        );
        CREATE INDEX disputeByPayment ON dispute(paymentID);
        CREATE INDEX disputeOpenByInvoice ON dispute(invoiceID) WHERE isOpen;
        CREATE INDEX disputeOpenByClient ON dispute(clientID) WHERE isOpen;
        """
}
