import Bridge
import Foundation
import HTTPClient
import Ledger
import Logging
import PosPlusCore
import TestSupport
import Testing

/// `posplus staff` through the real binary, passwords on standard input, the ledger read back
/// by the test; and a token made by the CLI used against a running `serve`, then revoked by the
/// CLI while serve runs: two processes, one ledger.
@Suite("posplus CLI: staff and API tokens")
struct StaffCLITests {
    /// bcrypt at its lowest cost, through the setting an operator would use.
    static let fastHashing = ["POSPLUS_STAFF_BCRYPT_COST": "4"]

    func run(_ cli: CLIRunner, _ arguments: [String], input: String? = nil) throws -> CLIRunner.Result {
        try cli.run(arguments + ["--ledger", cli.ledgerPath], environment: Self.fastHashing, input: input)
    }

    @Test func addListDisableAndResetThroughTheBinary() async throws {
        let cli = try CLIRunner()
        let added = try run(
            cli, ["staff", "add", "Ada", "--role", "owner", "--password-stdin", "--operator", "root"], input: "correct horse\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "Added Ada as owner.\n")
        #expect(try run(cli, ["staff", "add", "bob", "--role", "front-desk", "--password-stdin"], input: "battery staple\n").status == 0)

        let again = try run(cli, ["staff", "add", "ADA", "--role", "technician", "--password-stdin"], input: "another one\n")
        #expect(again.status != 0)
        #expect(again.stderr.contains("A staff member named ADA exists already"))
        let short = try run(cli, ["staff", "add", "carl", "--role", "technician", "--password-stdin"], input: "short\n")
        #expect(short.stderr.contains("A password must be 8 to 72 bytes long"))
        let noTerminal = try run(cli, ["staff", "add", "carl", "--role", "technician"])
        #expect(noTerminal.stderr.contains("pipe it in with --password-stdin"))
        let badRole = try run(cli, ["staff", "add", "carl", "--role", "boss", "--password-stdin"], input: "battery staple\n")
        #expect(badRole.stderr.contains("'technician', 'front-desk', 'manager' or 'owner'"))

        let list = try run(cli, ["staff", "list"])
        #expect(list.stdout.contains("Ada   owner       active"))
        #expect(list.stdout.contains("bob   front-desk  active"))

        let ledger = try Ledger.open(at: cli.ledgerPath, key: .forTests)
        var settings = StaffSettings()
        settings.bcryptCost = 4
        let directory = StaffDirectory(ledger: ledger, settings: settings)
        #expect(try await directory.verifyLogin(name: "bob", password: "battery staple", from: nil).role == .frontDesk)

        let reset = try run(cli, ["staff", "reset-password", "bob", "--password-stdin", "--operator", "Ada"], input: "a new password\n")
        #expect(reset.status == 0, "\(reset.stderr)")
        await #expect(throws: StaffError.loginRefused) {
            try await directory.verifyLogin(name: "bob", password: "battery staple", from: nil)
        }
        #expect(try await directory.verifyLogin(name: "bob", password: "a new password", from: nil).name == "bob")

        #expect(try run(cli, ["staff", "disable", "bob", "--operator", "Ada"]).stdout.contains("Disabled bob"))
        #expect(try run(cli, ["staff", "list"]).stdout.contains("bob   front-desk  disabled"))
        let lastOwner = try run(cli, ["staff", "disable", "ada"])
        #expect(lastOwner.stderr.contains("Ada is the only owner left"))

        let events = try ledger.auditEvents().filter { $0.kind.hasPrefix("staff.") }.map { "\($0.kind) \($0.actor)" }
        // No --operator and no $USER in the child's environment: "staff".
        #expect(events == ["staff.add root", "staff.add staff", "staff.password Ada", "staff.disable Ada"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.ledgerPath))
        #expect(bytes.range(of: Data("a new password".utf8)) == nil)
    }

    @Test func aTokenMadeByTheCLIWorksOnServeUntilTheCLIRevokesIt() async throws {
        let cli = try CLIRunner()
        #expect(try run(cli, ["staff", "add", "fred", "--role", "front-desk", "--password-stdin"], input: "correct horse\n").status == 0)
        let created = try run(cli, ["staff", "token", "create", "fred", "--label", "nightly export"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("ppt_") && token.count == 47)
        #expect(created.stderr.contains("posplus cannot show it again"))
        let listed = try run(cli, ["staff", "token", "list"])
        #expect(listed.stdout.contains(#"1  fred  "nightly export"  active, never used"#))
        #expect(!listed.stdout.contains(token))

        let serve = try ServeProcess(cli, arguments: ["--ledger", cli.ledgerPath], environment: Self.fastHashing)
        let http = HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t"))
        let me = HTTPRequest(.get, "http://127.0.0.1:\(serve.port)/api/me", headers: [("Authorization", "Bearer \(token)")])
        let before = try await http.send(me)
        #expect(before.status == 200)
        #expect(before.text.contains(#""staff":"fred""#))
        let login = try await http.send(
            HTTPRequest(
                .post, "http://127.0.0.1:\(serve.port)/api/session", headers: [("Content-Type", "application/json")],
                body: Array(#"{"name":"fred","password":"correct horse"}"#.utf8)))
        #expect(login.status == 200)

        #expect(try run(cli, ["staff", "token", "revoke", "1"]).stdout == "Revoked token 1 (nightly export).\n")
        let after = try await http.send(me)
        #expect(after.status == 401)
        #expect(try run(cli, ["staff", "token", "list"]).stdout.contains("revoked"))
    }
}
