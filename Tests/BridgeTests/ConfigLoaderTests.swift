import Bridge
import Foundation
import Messaging
import PosPlusCore
import Testing

@Suite("Configuration: TOML file plus POSPLUS_* environment")
struct ConfigLoaderTests {
    /// A temporary folder used as HOME, so the default paths are predictable.
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-config-\(UUID().uuidString)")

    func write(_ text: String, name: String = "config.toml") throws -> String {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let path = home.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func loader(_ environment: [String: String] = [:]) -> ConfigLoader {
        ConfigLoader(environment: ["HOME": home.path].merging(environment) { $1 })
    }

    @Test func withNoFileTheDefaultsApply() throws {
        let loaded = try loader().load()
        #expect(loaded.file == nil)
        #expect(loaded.config.currency == .usd)
        #expect(loaded.config.ledgerPath == home.path + "/.local/share/posplus/ledger.sqlite")
        #expect(loaded.sources.allSatisfy { $0.source == .defaultValue })
    }

    @Test func xdgFoldersAreHonoured() throws {
        let loaded = try loader(["XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": home.path + "/cfg"]).load()
        #expect(loaded.config.ledgerPath == "/srv/data/posplus/ledger.sqlite")
        #expect(loader(["XDG_CONFIG_HOME": "/etc/x"]).defaultFilePath == "/etc/x/posplus/config.toml")
    }

    @Test func aFileSetsValuesAndTheEnvironmentOverridesThem() throws {
        let path = try write(
            """
            [business]
            name = "Acme Plumbing"
            currency = "CAD"

            [charges]
            minimum = "1.00"
            maximum = "5000.00"

            [ledger]
            path = "/var/lib/posplus/ledger.sqlite"
            """)
        let loaded = try loader(["POSPLUS_CHARGES_MAXIMUM": "2500.50", "POSPLUS_LOGGING_LEVEL": "debug"]).load(explicitPath: path)
        #expect(loaded.config.businessName == "Acme Plumbing")
        #expect(loaded.config.currency == .cad)
        #expect(loaded.config.chargeLimits.minimum == Money(minorUnits: 100, currency: .cad))
        #expect(loaded.config.chargeLimits.maximum == Money(minorUnits: 250_050, currency: .cad))
        #expect(loaded.config.logLevel == .debug)
        #expect(loaded.config.ledgerPath == "/var/lib/posplus/ledger.sqlite")
        let maximum = loaded.sources.first { $0.key == "charges.maximum" }
        #expect(maximum?.source == .environment("POSPLUS_CHARGES_MAXIMUM"))
        #expect(loaded.sources.first { $0.key == "business.name" }?.source == .file(path))
    }

    @Test func reconcileSettingsAreReadAndBadOnesNamed() throws {
        let path = try write(
            """
            [reconcile]
            every = "12h"
            at = "05:30"
            time_zone = "America/Chicago"
            auto_apply = true
            clearing_days = 7
            """)
        let settings = try loader().load(explicitPath: path).config.reconcile
        #expect(settings.every == .seconds(12 * 3_600) && settings.at == TimeOfDay(hour: 5, minute: 30))
        #expect(settings.timeZone.identifier == "America/Chicago" && settings.autoApply && settings.clearingDays == 7)
        #expect(settings.rules.clearingWindow == .seconds(7 * 86_400) && settings.rules.timeZone.identifier == "America/Chicago")
        for (key, value, problem) in [
            ("at", "\"25:00\"", "not a time"), ("time_zone", "\"Mars/Olympus\"", "not a time zone"),
            ("every", "\"10m\"", "at least 3600"), ("clearing_days", "90", "1 to 30"),
        ] {
            let bad = try write("[reconcile]\n\(key) = \(value)\n", name: "bad-\(key).toml")
            #expect {
                try loader().load(explicitPath: bad)
            } throws: { error in
                "\(error)".contains("reconcile.\(key)") && "\(error)".contains(problem)
            }
        }
    }

    @Test func staffSettingsAreReadAndBadOnesNamed() throws {
        let path = try write(
            """
            [staff]
            session_idle = "20m"
            session_max = "8h"
            bcrypt_cost = 13
            login_attempts = 3
            """)
        let settings = try loader().load(explicitPath: path).config.staff
        #expect(settings.sessionIdle == .seconds(20 * 60) && settings.sessionMax == .seconds(8 * 3_600))
        #expect(settings.bcryptCost == 13 && settings.loginAttempts == 3 && settings.addressAttempts == 12)
        #expect(try loader(["POSPLUS_STAFF_BCRYPT_COST": "4"]).load(explicitPath: path).config.staff.bcryptCost == 4)
        #expect(StaffSettings().bcryptCost == 12)
        for (key, value, problem) in [
            ("session_idle", "\"30s\"", "at least 60"), ("session_max", "\"2d\"", "not a duration"),
            ("bcrypt_cost", "3", "4 to 16"), ("bcrypt_cost", "\"twelve\"", "4 to 16"), ("login_attempts", "100", "3 to 20"),
        ] {
            let bad = try write("[staff]\n\(key) = \(value)\n", name: "bad-\(key).toml")
            #expect {
                try loader().load(explicitPath: bad)
            } throws: { error in
                "\(error)".contains("staff.\(key)") && "\(error)".contains(problem)
            }
        }
    }

    @Test func posplusConfigNamesTheFile() throws {
        let path = try write("[business]\nname = \"From env\"\n", name: "other.toml")
        #expect(try loader(["POSPLUS_CONFIG": path]).load().config.businessName == "From env")
    }

    @Test func aNamedFileThatIsMissingIsAnError() {
        #expect(throws: ConfigError.fileNotFound(path: "/nowhere/posplus.toml")) {
            try loader().load(explicitPath: "/nowhere/posplus.toml")
        }
    }

    @Test func unknownKeysAreNamedWithASuggestion() throws {
        let path = try write("[charges]\nmaximun = \"10.00\"\n")
        #expect(throws: ConfigError.unknownKey(source: path, key: "charges.maximun", suggestion: "charges.maximum")) {
            try loader().load(explicitPath: path)
        }
        let section = try write("[stripe_keys]\nsecret = \"x\"\n", name: "b.toml")
        #expect(throws: ConfigError.self) { try loader().load(explicitPath: section) }
    }

    @Test func badValuesNameTheKeyAndTheProblem() throws {
        let float = try write("[charges]\nmaximum = 5000.5\n")
        #expect {
            try loader().load(explicitPath: float)
        } throws: { error in
            "\(error)" == "\(float): \"charges.maximum\": write the amount in quotes, like \"5000.5\", so it is read exactly"
        }
        let currency = try write("[business]\ncurrency = \"USS\"\n", name: "c.toml")
        #expect {
            try loader().load(explicitPath: currency)
        } throws: { "\($0)".contains("\"business.currency\"") && "\($0)".contains("USS") }

        #expect {
            try loader(["POSPLUS_CHARGES_MINIMUM": "1,00"]).load()
        } throws: { "\($0)".hasPrefix("$POSPLUS_CHARGES_MINIMUM: \"charges.minimum\":") && "\($0)".contains("comma") }

        let level = try write("[logging]\nlevel = \"loud\"\n", name: "d.toml")
        #expect(throws: ConfigError.self) { try loader().load(explicitPath: level) }
        let kind = try write("[business]\nname = 42\n", name: "e.toml")
        #expect { try loader().load(explicitPath: kind) } throws: { "\($0)".contains("must be a string, not an integer") }
    }

    @Test func messageTemplatesMustCarryTheLinkWhereTheCustomerNeedsIt() throws {
        #expect {
            try loader(["POSPLUS_MESSAGES_DEPOSIT_SMS": "Deposit for quote #{quote}, please pay"]).load()
        } throws: { "\($0)".contains("\"messages.deposit_sms\"") && "\($0)".contains("{link}") }
        let config = try loader([
            "POSPLUS_MESSAGES_DEPOSIT_SMS": "{business}: deposit {amount} for quote #{quote}: {link}",
            "POSPLUS_MESSAGES_DEPOSIT_EMAIL_SUBJECT": "Your deposit",  // a subject needs no link
        ]).load().config
        #expect(config.messages.depositSMS == "{business}: deposit {amount} for quote #{quote}: {link}")
        #expect(config.messages.depositEmailSubject == "Your deposit")
        #expect(config.messages.sms == PaymentLinkMessage.defaultSMS)
    }

    @Test func tomlSyntaxErrorsGiveLineAndColumn() throws {
        let path = try write("[business\nname = 1\n")
        #expect {
            try loader().load(explicitPath: path)
        } throws: { error in
            guard case .syntax(let file, let line, _, _) = error as? ConfigError else { return false }
            return file == path && line == 1
        }
    }

    /// Once 7 s of "did you mean" on a 20 KB key. A key of any length up to the bound still
    /// gets its answer; past it, a short error quoting only its start.
    @Test func keyLengthIsBoundedBeforeAnySuggestionIsSearched() throws {
        let longest = "charges." + String(repeating: "m", count: ConfigLoader.maximumKeyLength - 8)
        let atBound = try write("[charges]\n\(longest.dropFirst(8)) = \"1.00\"\n")
        #expect(throws: ConfigError.unknownKey(source: atBound, key: longest, suggestion: nil)) { try loader().load(explicitPath: atBound) }

        let huge = try write("[charges]\n\(String(repeating: "maximun", count: 3_000)) = \"1.00\"\n", name: "huge.toml")
        #expect(throws: ConfigError.keyTooLong(source: huge, start: "charges.maximunmaximunma", length: 21_008, limit: 100)) {
            try loader().load(explicitPath: huge)
        }
        let section = try write("[\(String(repeating: "s", count: 5_000))]\nx = 1\n", name: "section.toml")
        #expect(throws: ConfigError.self) { try loader().load(explicitPath: section) }
    }

    @Test func aConfigPathThatIsNotAReadableTextFileIsNamed() throws {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        #expect(
            throws: ConfigError.unreadable(
                path: home.path, reason: "it is a folder, not a file; name the TOML file itself, such as \(home.path)/config.toml")
        ) {
            try loader().load(explicitPath: home.path)
        }
        let binary = home.appendingPathComponent("binary.toml").path
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: ConfigError.unreadable(path: binary, reason: "it is not UTF-8 text; save it as UTF-8")) {
            try loader().load(explicitPath: binary)
        }
        #expect(
            throws: ConfigError.unreadable(
                path: "/dev/zero", reason: "it is larger than 1 MiB; a posplus configuration is a few kilobytes, so check the path")
        ) {
            try loader().load(explicitPath: "/dev/zero")
        }
    }
}
