import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus staff add | list | disable | reset-password | token`: the people who log in to the
/// console and the API, and the tokens their scripts use.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Staff logins, their roles, and API tokens.",
        discussion: """
            Roles decide what each person may do: a technician sends payment links and sees their own; the \
            front desk charges, voids and refunds (over a threshold, a manager approves), and keeps cards on \
            file; a manager also approves; an owner also changes settings and manages staff. Passwords are \
            stored only as bcrypt hashes (cost staff.bcrypt_cost). Every change is in the audit log with who \
            made it (--operator, default $USER).
            Examples:
              posplus staff add ada --role front-desk          asks for the password twice
              echo "$PASSWORD" | posplus staff add bob --role technician --password-stdin
              posplus staff token create ada --label "nightly export"
            """,
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self, Token.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person who logs in to the console.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name: letters, digits, '.', '-' or '_' (2 to 32), starting with a letter.") var name: String
        @Option(help: ArgumentHelp("technician, front-desk, manager or owner.", valueName: "role")) var role: StaffRole
        @OptionGroup var password: PasswordInput
        @OptionGroup var by: OperatorOption

        func validate() throws {
            do { _ = try StaffName(name) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let directory = try global.app(label: "posplus.staff").staffDirectory()
            let person = try await directory.add(name, role: role, password: try password.read(for: name), by: by.name)
            print("Added \(person.name) as \(person.role).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff, with their roles.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let people = try global.app(label: "posplus.staff").staffDirectory().list()
            guard !people.isEmpty else {
                print("No staff yet: add the first owner with `posplus staff add NAME --role owner`.")
                return
            }
            let width = max(4, people.map(\.name.count).max() ?? 0)
            print("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ROLE        STATUS")
            for person in people {
                let status = person.disabledAt.map { "disabled \(Self.day($0))" } ?? "active"
                print(
                    person.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + person.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + status)
            }
        }

        static func day(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a person: their sessions end and their API tokens stop at once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name.") var name: String
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let person = try global.app(label: "posplus.staff").staffDirectory().disable(name, by: by.name)
            print("Disabled \(person.name): their sessions are ended and their API tokens revoked.")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Set a new password; the person's sessions end.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name.") var name: String
        @OptionGroup var password: PasswordInput
        @OptionGroup var by: OperatorOption

        func run() async throws {
            let directory = try global.app(label: "posplus.staff").staffDirectory()
            guard try directory.find(name) != nil else { throw StaffError.ledger(.staffNotFound(name)) }
            let person = try await directory.resetPassword(name, to: try password.read(for: name), by: by.name)
            print("New password set for \(person.name); their sessions are ended.")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "API tokens for scripts: `Authorization: Bearer TOKEN`, acting as the staff member.",
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a token; it is printed once and never again.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The staff member the token acts as.") var name: String
            @Option(help: "What the token is for, such as \"nightly export\".") var label: String
            @OptionGroup var by: OperatorOption

            func run() async throws {
                let issued = try global.app(label: "posplus.staff").apiTokens().create(for: name, label: label, by: by.name)
                print(issued.token.text)
                FileHandle.standardError.write(
                    Data(
                        "Token \(issued.record.id) for \(name) (\(issued.record.label)); keep it now, posplus cannot show it again.\n".utf8)
                )
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List tokens (never their text), newest first.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "Only this staff member's tokens.") var name: String?

            func run() async throws {
                let tokens = try global.app(label: "posplus.staff").apiTokens().list(for: name)
                guard !tokens.isEmpty else {
                    print("No API tokens.")
                    return
                }
                for standing in tokens {
                    let token = standing.token
                    let state = token.revokedAt.map { "revoked \(StaffCommand.List.day($0))" } ?? "active"
                    let used = token.lastUsedAt.map { "last used \(StaffCommand.List.day($0))" } ?? "never used"
                    print("\(token.id)  \(standing.staff.name)  \"\(token.label)\"  \(state), \(used)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it stops working at once.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The token's id, from `posplus staff token list`.") var id: Int64
            @OptionGroup var by: OperatorOption

            func run() async throws {
                let token = try global.app(label: "posplus.staff").apiTokens().revoke(id: id, by: by.name)
                print("Revoked token \(token.id) (\(token.label)).")
            }
        }
    }
}

extension StaffRole: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
