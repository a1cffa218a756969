extension LedgerMigrations {
    /// 2026-12: a webhook whose processing failed is no longer marked processed. It stays
    /// `pending` with an attempt count and a next-try time (back-off), unless it can never be
    /// read, in which case it is `failed`: listed by `posplus webhooks list --failed` and put
    /// back by `posplus webhooks retry`.
    ///
    /// Rows that earlier versions marked processed with a "failed: …" result are exactly the
    /// events this fixes (a paid link lost to a busy ledger, say), so they become `failed` with
    /// their reason kept, for staff to see and retry; they are not replayed unasked.
    static let webhookRetries = """
        ALTER TABLE webhookEvent ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'processed', 'failed'));
        ALTER TABLE webhookEvent ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
        ALTER TABLE webhookEvent ADD COLUMN nextAttemptAt DATETIME;
        ALTER TABLE webhookEvent ADD COLUMN lastError TEXT;
        UPDATE webhookEvent SET state = 'failed', lastError = result, processedAt = NULL
          WHERE processedAt IS NOT NULL AND result LIKE 'failed:%';
        UPDATE webhookEvent SET state = 'processed' WHERE processedAt IS NOT NULL;
        CREATE INDEX webhookEventDue ON webhookEvent(state, nextAttemptAt);
        """
}
