extension LedgerMigrations {
    /// 2026-12: a payment keeps how its card was read and the chip's application label, AID,
    /// TVR and TSI (issue 13: a receipt prints them). The terminal always sent them; they were
    /// dropped at the driver. Payments taken before this version have none, and their receipts
    /// say so by leaving the lines out.
    static let cardReading = """
        ALTER TABLE payment ADD COLUMN entryMode TEXT;
        ALTER TABLE payment ADD COLUMN emvApplicationLabel TEXT;
        ALTER TABLE payment ADD COLUMN emvApplicationID TEXT;
        ALTER TABLE payment ADD COLUMN emvTVR TEXT;
        ALTER TABLE payment ADD COLUMN emvTSI TEXT;
        """
}
