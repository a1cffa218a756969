extension LedgerMigrations {
    /// 2026-12: a payment link names who sent it (`sentBy`), so a technician can be shown their
    /// own links and no one else's (issue 12: "technicians send links and see their own").
    ///
    /// The sender was already in the audit log (`link.create` by its actor); links sent before
    /// this version take it from there, so a technician's earlier links stay theirs. The column
    /// is a copy for querying, written in the same transaction as that audit event.
    static let linkSender = """
        ALTER TABLE paymentLink ADD COLUMN sentBy TEXT;
        UPDATE paymentLink SET sentBy = (
          SELECT actor FROM auditEvent
          WHERE kind = 'link.create' AND json_extract(detail, '$.link') = paymentLink.id
          ORDER BY seq LIMIT 1);
        CREATE INDEX paymentLinkSentBy ON paymentLink(sentBy COLLATE NOCASE, id);
        """
}
