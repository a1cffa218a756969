extension LedgerMigrations {
    /// 2026-12: what `posplus reconcile` found and what became of it. An item is keyed by the
    /// difference it describes (class and subject), so finding it again updates it rather than
    /// adding a second; it stays with its history once a person resolves it or `--apply` fixes
    /// it. One watermark per side lets a daily run read only what changed.
    static let reconcile = """
        CREATE TABLE reconcileItem (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          reference TEXT,
          invoiceID TEXT,
          explanation TEXT NOT NULL,
          occurredAt DATETIME,
          detail TEXT NOT NULL,
          differenceMinor INTEGER,
          currency TEXT,
          action TEXT,
          status TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'resolved', 'cleared')),
          resolution TEXT CHECK (resolution IN ('matched', 'write-off', 'ignored')),
          resolvedBy TEXT,
          note TEXT,
          firstSeenAt DATETIME NOT NULL,
          lastSeenAt DATETIME NOT NULL,
          closedAt DATETIME
        );
        CREATE INDEX reconcileItemStatus ON reconcileItem(status);
        CREATE TABLE reconcileWatermark (
          side TEXT PRIMARY KEY,
          readUntil DATETIME NOT NULL
        );
        """
}

extension LedgerMigrations {
    /// 2026-12: the reports of the last reconcile runs (serve's scheduled ones and the CLI's),
    /// as the JSON `--json` prints, so the office and the console can read the last one
    /// without running it again. A few dozen are kept.
    static let reconcileReports = """
        CREATE TABLE reconcileReport (
          id INTEGER PRIMARY KEY,
          ranAt DATETIME NOT NULL,
          actor TEXT NOT NULL,
          applied INTEGER NOT NULL,
          toReview INTEGER NOT NULL,
          report TEXT NOT NULL
        );
        """
}

extension LedgerMigrations {
    /// 2026-12: a payment whose money a Jobber payment record already counts (see
    /// ``PaymentRecord/jobberRecordID``).
    static let jobberRecordedPayments = """
        ALTER TABLE payment ADD COLUMN jobberRecordID TEXT;
        """
}
