import Foundation
import GRDB

/// The ledger's schema, one frozen migration after another.
///
/// Rules (GRDB's migration practices): a shipped migration is never edited — fix forward with
/// a new one; migrations are plain SQL and never use today's record types, because they
/// describe a past schema. The schema defends the money by itself: CHECK constraints on
/// amounts and states, UNIQUE keys for idempotency and references, foreign keys, and
/// triggers that make the audit log append-only.
enum LedgerMigrations {
    /// - Parameters:
    ///   - key: seals secrets and keys the audit chain from ``KeyedUpgrade`` on.
    ///   - clock: stamps the event the keyed upgrade appends.
    static func migrator(key: LedgerKey, clock: @escaping @Sendable () -> Date = Date.init) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11 v1 payments, attempts, audit, outbox, cards, links") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("2026-11 v2 jobber connection") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("2026-11 v3 webhook inbox") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("2026-11 v4 deposit links name their quote") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("2026-11 v5 attempts keep the terminal's record number") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("2026-11 v6 payments know their batch was closed") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("2026-12 attempts keep where they went and who sent them") { db in
            try db.execute(sql: attemptEndpoint)
        }
        migrator.registerMigration("2026-12 jobber refresh lease") { db in
            try db.execute(sql: jobberRefreshLease)
        }
        migrator.registerMigration("2026-12 webhook retries") { db in
            try db.execute(sql: webhookRetries)
        }
        migrator.registerMigration(KeyedUpgrade.migrationName) { db in
            try KeyedUpgrade.migrate(db, key: key, at: clock())
        }
        migrator.registerMigration("2026-12 reconcile items and watermarks") { db in
            try db.execute(sql: reconcile)
        }
        migrator.registerMigration("2026-12 reconcile reports") { db in
            try db.execute(sql: reconcileReports)
        }
        migrator.registerMigration("2026-12 payments recorded in Jobber") { db in
            try db.execute(sql: jobberRecordedPayments)
        }
        migrator.registerMigration("2026-12 staff, sessions, API tokens, login failures") { db in
            try db.execute(sql: staff)
        }
        migrator.registerMigration("2026-12 bank accounts on file") { db in
            try db.execute(sql: bankAccountsOnFile)
        }
        migrator.registerMigration("2026-12 approvals") { db in
            try db.execute(sql: approvals)
        }
        migrator.registerMigration("2026-12 links name who sent them") { db in
            try db.execute(sql: linkSender)
        }
        migrator.registerMigration("2026-12 approved links name the link they sent") { db in
            try db.execute(sql: approvalResultLink)
        }
        migrator.registerMigration("2026-12 payments keep how the card was read") { db in
            try db.execute(sql: LedgerMigrations.cardReading)
        }
        migrator.registerMigration("2026-12 attempts keep the decline's codes") { db in
            try db.execute(sql: LedgerMigrations.declineCodes)
        }
        migrator.registerMigration("2026-12 approvals hold what issue 13 proposes") { db in
            try db.execute(sql: LedgerMigrations.approvalKinds)
        }
        migrator.registerMigration("2026-12 card-on-file sales name the saved card") { db in
            try db.execute(sql: LedgerMigrations.paymentSavedCard)
        }
        migrator.registerMigration("2026-12 decline recoveries") { db in
            try db.execute(sql: LedgerMigrations.declineRecovery)
        }
        migrator.registerMigration("2026-12 invoice reminders") { db in
            try db.execute(sql: LedgerMigrations.reminders)
        }
        migrator.registerMigration("2026-12 payment plans and their instalments") { db in
            try db.execute(sql: LedgerMigrations.paymentPlans)
        }
        migrator.registerMigration("2026-12 risk holds") { db in
            try db.execute(sql: LedgerMigrations.riskHolds)
        }
        migrator.registerMigration("2026-12 card disputes") { db in
            try db.execute(sql: LedgerMigrations.disputes)
        }
        return migrator
    }

    /// The machine codes behind an answer: the card host's response code from a terminal, and a
    /// gateway's `code` and `decline_code`. The words alone cannot tell a stolen card from a
    /// generic decline, and the recovery plan must. No CHECK on them: a code is cleaned before
    /// it is stored, and a constraint that refused one would lose the answer it came with.
    static let declineCodes = """
        ALTER TABLE attempt ADD COLUMN hostCode TEXT;
        ALTER TABLE attempt ADD COLUMN gatewayCode TEXT;
        ALTER TABLE attempt ADD COLUMN gatewayDeclineCode TEXT;
        """

    /// A bank account a customer saved with a processor (with its debit mandate) is kept on file
    /// beside cards: a kind, and no expiry for it. SQLite cannot relax NOT NULL in place, so the
    /// table is rebuilt; every card keeps its id, which payments and audit events name.
    static let bankAccountsOnFile = """
        CREATE TABLE cardOnFileNew (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL DEFAULT 'card' CHECK (kind IN ('card', 'bankAccount')),
          clientID TEXT NOT NULL,
          processor TEXT NOT NULL,
          token TEXT NOT NULL,
          brand TEXT NOT NULL,
          last4 TEXT NOT NULL CHECK (length(last4) = 4 AND last4 NOT GLOB '*[^0-9]*'),
          expiryMonth INTEGER CHECK (expiryMonth BETWEEN 1 AND 12),
          expiryYear INTEGER CHECK (expiryYear BETWEEN 2000 AND 2200),
          createdAt DATETIME NOT NULL,
          removedAt DATETIME,
          UNIQUE (processor, token),
          CHECK ((kind = 'card') = (expiryMonth IS NOT NULL AND expiryYear IS NOT NULL))
        );
        INSERT INTO cardOnFileNew (id, kind, clientID, processor, token, brand, last4, expiryMonth, expiryYear, createdAt, removedAt)
          SELECT id, 'card', clientID, processor, token, brand, last4, expiryMonth, expiryYear, createdAt, removedAt FROM cardOnFile;
        DROP TABLE cardOnFile;
        ALTER TABLE cardOnFileNew RENAME TO cardOnFile;
        CREATE INDEX cardOnFileByClient ON cardOnFile(clientID);
        """

    /// Where an attempt was sent when the terminal was named by address (`--tcp`, `--serial`,
    /// `--http`) rather than by a configured name: without it Recovery could not reach that
    /// terminal to ask what became of a lost answer. And which process sent it, so a second
    /// run with the same key waits only for a sender that is still alive.
    static let attemptEndpoint = """
        ALTER TABLE attempt ADD COLUMN endpoint TEXT;
        ALTER TABLE attempt ADD COLUMN owner TEXT;
        """

    /// Jobber's refresh tokens rotate and a used one is refused, so two processes must never
    /// refresh the same pair: the one that claims the refresh holds this lease (a time, so a
    /// process that dies mid-refresh does not block the others for good) until it stores the
    /// new pair or gives up.
    static let jobberRefreshLease = """
        ALTER TABLE jobberConnection ADD COLUMN refreshLeaseUntil DATETIME;
        """

    /// Version 6: when a terminal's batch closed over a payment. A refunded payment keeps its
    /// state's name, so "settled" alone cannot say which batch a payment belongs to.
    static let v6 = """
        ALTER TABLE payment ADD COLUMN batchClosedAt DATETIME;
        CREATE INDEX paymentOpenBatch ON payment(channel) WHERE batchClosedAt IS NULL;
        """

    /// Version 5: the terminal's own number for an approved transaction, which a later void or
    /// refund must quote (the processor's reference alone is not enough on every terminal).
    static let v5 = """
        ALTER TABLE attempt ADD COLUMN deviceRecordNumber TEXT;
        """

    /// Version 4: a deposit link keeps the quote's number, so its message and listing can say
    /// "quote #78" without asking Jobber again.
    static let v4 = """
        ALTER TABLE paymentLink ADD COLUMN quoteNumber TEXT;
        """

    /// Version 3: webhooks stored before they are processed (answer fast, lose nothing), one
    /// row per delivery key so a re-delivered event is recognised.
    static let v3 = """
        CREATE TABLE webhookEvent (
          id INTEGER PRIMARY KEY,
          source TEXT NOT NULL,
          dedupeKey TEXT NOT NULL,
          topic TEXT NOT NULL,
          accountID TEXT,
          itemID TEXT,
          payload TEXT NOT NULL,
          receivedAt DATETIME NOT NULL,
          processedAt DATETIME,
          result TEXT,
          UNIQUE (source, dedupeKey)
        );
        CREATE INDEX webhookEventPending ON webhookEvent(processedAt);
        """

    /// Version 2: the Jobber OAuth connection, one row per account. Tokens sit in this 0600
    /// file and are never printed; a refresh writes the rotated refresh token here before the
    /// new access token is used.
    static let v2 = """
        CREATE TABLE jobberConnection (
          accountID TEXT PRIMARY KEY,
          accountName TEXT,
          accessToken TEXT NOT NULL,
          refreshToken TEXT NOT NULL,
          accessExpiresAt DATETIME NOT NULL,
          connectedAt DATETIME NOT NULL,
          refreshedAt DATETIME,
          disconnectedAt DATETIME
        );
        """

    /// Version 1. Amounts are integer minor units; the currency is an ISO code per row.
    /// Card columns hold a brand and the last four digits at most.
    static let v1 = """
        CREATE TABLE payment (
          id INTEGER PRIMARY KEY,
          idempotencyKey TEXT NOT NULL UNIQUE,
          requestFingerprint TEXT NOT NULL,
          operation TEXT NOT NULL CHECK (operation IN ('sale', 'keyedSale', 'achDebit', 'void', 'refund', 'tokenize', 'tokenSale', 'deposit')),
          state TEXT NOT NULL CHECK (state IN ('intended', 'sent', 'unknown', 'pending', 'approved', 'partiallyApproved', 'declined', 'abandoned', 'voided', 'partiallyRefunded', 'refunded', 'settled', 'returned')),
          currency TEXT NOT NULL CHECK (length(currency) = 3),
          requestedMinor INTEGER NOT NULL CHECK (requestedMinor >= 0),
          capturedMinor INTEGER NOT NULL DEFAULT 0 CHECK (capturedMinor BETWEEN 0 AND requestedMinor),
          refundedMinor INTEGER NOT NULL DEFAULT 0 CHECK (refundedMinor BETWEEN 0 AND capturedMinor),
          intent TEXT NOT NULL CHECK (intent IN ('fullBalance', 'partial', 'deposit')),
          invoiceID TEXT,
          invoiceNumber TEXT,
          quoteID TEXT,
          clientID TEXT,
          originalPaymentID INTEGER REFERENCES payment(id),
          channel TEXT NOT NULL,
          operator TEXT NOT NULL,
          cardBrand TEXT,
          cardLast4 TEXT CHECK (cardLast4 IS NULL OR (length(cardLast4) = 4 AND cardLast4 NOT GLOB '*[^0-9]*')),
          authCode TEXT,
          processorReference TEXT,
          message TEXT,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          CHECK ((operation IN ('void', 'refund')) = (originalPaymentID IS NOT NULL))
        );
        CREATE INDEX paymentByInvoice ON payment(invoiceID);
        -- Partial indexes: they serve the rows Recovery and refunds look for (in doubt, or acting
        -- on an original), and a new sale touches neither, keeping the durable commit small.
        CREATE INDEX paymentByOriginal ON payment(originalPaymentID) WHERE originalPaymentID IS NOT NULL;
        CREATE INDEX paymentInDoubt ON payment(state) WHERE state IN ('sent', 'unknown');

        CREATE TABLE attempt (
          id INTEGER PRIMARY KEY,
          paymentID INTEGER NOT NULL REFERENCES payment(id),
          number INTEGER NOT NULL CHECK (number >= 1),
          reference TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 16),
          channel TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('inFlight', 'approved', 'partiallyApproved', 'declined',
                                                   'unknown', 'pending', 'notFound', 'abandoned')),
          resultCode TEXT,
          message TEXT,
          authCode TEXT,
          processorReference TEXT,
          startedAt DATETIME NOT NULL,
          finishedAt DATETIME,
          UNIQUE (paymentID, number)
        );
        -- One unresolved attempt per payment at most: a second one would be a blind re-send.
        CREATE UNIQUE INDEX attemptOneUnresolved ON attempt(paymentID) WHERE outcome IN ('inFlight', 'unknown');

        CREATE TABLE auditEvent (
          seq INTEGER PRIMARY KEY,
          atMillis INTEGER NOT NULL,
          kind TEXT NOT NULL,
          paymentID INTEGER,
          actor TEXT NOT NULL,
          detail TEXT NOT NULL,
          previousHash TEXT NOT NULL CHECK (length(previousHash) = 64),
          hash TEXT NOT NULL CHECK (length(hash) = 64)
        );
        CREATE TRIGGER auditEventNoUpdate BEFORE UPDATE ON auditEvent
          BEGIN SELECT RAISE(ABORT, 'auditEvent is append-only'); END;
        CREATE TRIGGER auditEventNoDelete BEFORE DELETE ON auditEvent
          BEGIN SELECT RAISE(ABORT, 'auditEvent is append-only'); END;
        -- The newest event, written in the same transaction as the event: deleting the tail of
        -- the chain leaves this pointing at a row that is gone, which verification reports.
        CREATE TABLE auditHead (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          seq INTEGER NOT NULL,
          hash TEXT NOT NULL
        );

        CREATE TABLE outboxJob (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          paymentID INTEGER REFERENCES payment(id),
          dedupeKey TEXT NOT NULL UNIQUE,
          payload TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
          attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          nextRunAt DATETIME NOT NULL,
          leaseUntil DATETIME,
          lastError TEXT,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL
        );
        CREATE INDEX outboxJobDue ON outboxJob(state, nextRunAt);

        CREATE TABLE cardOnFile (
          id INTEGER PRIMARY KEY,
          clientID TEXT NOT NULL,
          processor TEXT NOT NULL,
          token TEXT NOT NULL,
          brand TEXT NOT NULL,
          last4 TEXT NOT NULL CHECK (length(last4) = 4 AND last4 NOT GLOB '*[^0-9]*'),
          expiryMonth INTEGER NOT NULL CHECK (expiryMonth BETWEEN 1 AND 12),
          expiryYear INTEGER NOT NULL CHECK (expiryYear BETWEEN 2000 AND 2200),
          createdAt DATETIME NOT NULL,
          removedAt DATETIME,
          UNIQUE (processor, token)
        );
        CREATE INDEX cardOnFileByClient ON cardOnFile(clientID);

        CREATE TABLE paymentLink (
          id INTEGER PRIMARY KEY,
          processor TEXT NOT NULL,
          processorLinkID TEXT NOT NULL,
          url TEXT NOT NULL,
          invoiceID TEXT,
          invoiceNumber TEXT,
          quoteID TEXT,
          currency TEXT NOT NULL CHECK (length(currency) = 3),
          amountMinor INTEGER NOT NULL CHECK (amountMinor > 0),
          state TEXT NOT NULL CHECK (state IN ('open', 'paid', 'cancelled', 'expired')),
          paymentID INTEGER REFERENCES payment(id),
          reference TEXT NOT NULL UNIQUE,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL,
          expiresAt DATETIME,
          UNIQUE (processor, processorLinkID),
          CHECK (invoiceID IS NOT NULL OR quoteID IS NOT NULL)
        );
        CREATE INDEX paymentLinkByInvoice ON paymentLink(invoiceID);
        """
}
