extension LedgerMigrations {
    /// 2026-12: staff logins for the console and the API (issue 12, part 3).
    ///
    /// - `staff`: one row per person. The name is unique whatever its case (`COLLATE NOCASE`:
    ///   "Ada" cannot be added beside "ada"). Only a bcrypt hash of the password is kept; the
    ///   CHECK refuses anything that is not one, so a bug can never store a password in the clear.
    ///   A disabled person is kept (the audit log names them) but cannot log in.
    /// - `staffSession`: a browser's login. Only the SHA-256 of the cookie's secret is stored, so
    ///   a copy of the ledger opens no session; the CSRF token is derived from the secret (see
    ///   `CSRFToken` in Bridge), so nothing about it needs storing. Idle expiry counts from
    ///   `lastSeenAt`, absolute expiry is `expiresAt`; logging out sets `revokedAt`.
    /// - `apiToken`: a script's bearer token, again stored only as its SHA-256.
    /// - `loginFailure`: failed logins by name and client address, kept here rather than in a
    ///   process's memory so every process that serves logins counts the same failures.
    static let staff = """
        CREATE TABLE staff (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 2 AND 32),
          role TEXT NOT NULL CHECK (role IN ('technician', 'front-desk', 'manager', 'owner')),
          passwordHash TEXT NOT NULL CHECK (passwordHash GLOB '$2[abxy]$[0-9][0-9]$*' AND length(passwordHash) = 60),
          disabledAt DATETIME,
          createdAt DATETIME NOT NULL,
          updatedAt DATETIME NOT NULL
        );

        CREATE TABLE staffSession (
          id INTEGER PRIMARY KEY,
          staffID INTEGER NOT NULL REFERENCES staff(id),
          secretHash TEXT NOT NULL UNIQUE CHECK (length(secretHash) = 64),
          clientAddress TEXT,
          createdAt DATETIME NOT NULL,
          lastSeenAt DATETIME NOT NULL,
          expiresAt DATETIME NOT NULL,
          revokedAt DATETIME,
          CHECK (expiresAt > createdAt)
        );
        CREATE INDEX staffSessionOpen ON staffSession(staffID) WHERE revokedAt IS NULL;

        CREATE TABLE apiToken (
          id INTEGER PRIMARY KEY,
          staffID INTEGER NOT NULL REFERENCES staff(id),
          label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 64),
          secretHash TEXT NOT NULL UNIQUE CHECK (length(secretHash) = 64),
          createdAt DATETIME NOT NULL,
          lastUsedAt DATETIME,
          revokedAt DATETIME
        );
        CREATE INDEX apiTokenByStaff ON apiToken(staffID);

        CREATE TABLE loginFailure (
          id INTEGER PRIMARY KEY,
          nameKey TEXT NOT NULL,
          clientAddress TEXT,
          at DATETIME NOT NULL
        );
        CREATE INDEX loginFailureByName ON loginFailure(nameKey, at);
        CREATE INDEX loginFailureByAddress ON loginFailure(clientAddress, at) WHERE clientAddress IS NOT NULL;
        """
}
