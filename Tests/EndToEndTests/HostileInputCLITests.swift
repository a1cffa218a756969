import Foundation
import TestSupport
import Testing

/// A careless user or a stolen-file attacker against the real `posplus` binary: every mistake
/// gets a sentence naming the path and what to do (never a Foundation error dump), and the
/// ledger `serve` creates is readable by its owner only.
@Suite("posplus CLI: hostile and careless input")
struct HostileInputCLITests {
    /// Once "The operation could not be completed. (NSCocoaErrorDomain error 256.)".
    @Test func aConfigPathThatIsAFolderIsNamedWithWhatToDo() throws {
        let cli = try CLIRunner()
        let folder = cli.home.appendingPathComponent("settings").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try cli.run(["config", "show", "--config", folder])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Cannot read the configuration file \(folder): it is a folder, not a file"))
        #expect(result.stderr.contains("\(folder)/config.toml"))
        #expect(!result.stderr.contains("Domain"))
    }

    /// Once an NSError dump.
    @Test func aLedgerPathUnderAFileIsNamedWithWhatToDo() throws {
        let cli = try CLIRunner()
        let file = cli.home.appendingPathComponent("notes.txt").path
        try "not a folder".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["payments", "list", "--ledger", file + "/ledger.sqlite"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Cannot open the ledger at \(file)/ledger.sqlite: \(file) is a file, not a folder"))
        #expect(result.stderr.contains("--ledger"))
        #expect(!result.stderr.contains("Domain") && !result.stderr.contains("NSError"))
    }

    @Test func aLedgerPathThatIsAFolderOrNotALedgerIsNamed() throws {
        let cli = try CLIRunner()
        let folder = cli.home.appendingPathComponent("data").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let isFolder = try cli.run(["payments", "list", "--ledger", folder])
        #expect(isFolder.status != 0)
        #expect(isFolder.stderr.contains("Cannot open the ledger at \(folder): it is a folder; set ledger.path (or --ledger) to a file"))

        let text = folder + "/ledger.sqlite"
        try String(repeating: "not sqlite\n", count: 200).write(toFile: text, atomically: true, encoding: .utf8)
        let notLedger = try cli.run(["payments", "list", "--ledger", text])
        #expect(notLedger.status != 0)
        #expect(notLedger.stderr.contains("Cannot open the ledger at \(text): it is not a posplus ledger"))
    }

    /// Once 7 s of "did you mean" work and the whole key printed back. No timing here: the
    /// bound is on the input, and the message shows it was applied.
    @Test func aTwentyKilobyteUnknownKeyGetsAShortClearError() throws {
        let cli = try CLIRunner()
        let file = cli.home.appendingPathComponent("config.toml").path
        let key = String(repeating: "maximun", count: 3_000)
        try "[charges]\n\(key) = \"1.00\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run(["config", "show", "--config", file])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("\(file): a setting name of 21008 characters (\"charges.maximunmaximunma…\") is not one posplus knows"))
        #expect(result.stderr.contains("at most 100 characters"))
        #expect(result.stderr.utf8.count < 600)
    }

    @Test func configShowHidesPasswordsInsideURLs() throws {
        let cli = try CLIRunner()
        let result = try cli.run(
            ["config", "show"],
            environment: [
                "POSPLUS_SMTP_URL": "smtp://mailer:s3cret-pass@mail.example.com:587",
                "POSPLUS_STRIPE_BASE_URL": "https://sk_live_token@api.stripe.example",
                "POSPLUS_LEDGER_PATH": cli.ledgerPath,
            ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("smtp://mailer:***@mail.example.com:587"))
        #expect(result.stdout.contains("https://***@api.stripe.example"))
        #expect(!result.stdout.contains("s3cret-pass") && !result.stdout.contains("sk_live_token"))

        let typo = try cli.run(["config", "show"], environment: ["POSPLUS_SMTP_URL": "smpt://mailer:s3cret-pass@mail.example.com"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("smpt://mailer:***@mail.example.com") && !typo.stderr.contains("s3cret-pass"))
    }

    /// Once 0644 `-wal` and `-shm` beside a 0600 database, in a folder left 0755.
    @Test(.timeLimit(.minutes(1))) func theLedgerServeCreatesIsOwnerOnly() throws {
        let cli = try CLIRunner()
        let folder = cli.home.appendingPathComponent("data").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let ledger = folder + "/ledger.sqlite"

        let serve = try ServeProcess(cli, arguments: ["--ledger", ledger])
        defer { withExtendedLifetime(serve) {} }

        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(folder) == 0o700)
        for suffix in ["", "-wal", "-shm"] {
            #expect(try mode(ledger + suffix) == 0o600, "\(ledger + suffix)")
        }
    }
}
