import Bridge
import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite("Configuration: [declines], failed-payment recovery")
struct DeclineSettingsTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-declines-\(UUID().uuidString)")

    func load(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> PosPlusConfig {
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let path = home.appendingPathComponent("config.toml").path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader(environment: ["HOME": home.path].merging(environment) { $1 }).load(explicitPath: path).config
    }

    func problem(_ text: String, environment: [String: String] = [:]) -> String? {
        do {
            _ = try load(text, environment: environment)
            return nil
        } catch { return error.description.components(separatedBy: "config.toml: ").last }
    }

    @Test func offByDefaultWithTheStandardRules() throws {
        let config = try load("")
        #expect(config.declines.mode == .off)
        #expect(config.declineRules.retryDays == [1, 3, 5])
        #expect(config.declineRules.window.description == "09:00-18:00")
        #expect(config.declineRules.emailAfterDays == 2)
    }

    @Test func aFileSetsTheModeAndNumbersAndTheZoneComesFromReconcile() throws {
        let config = try load(
            """
            [declines]
            mode = "suggest"
            retry_days = "2,4,7,10"
            retry_window = "08:30-17:00"
            email_after_days = 3

            [reconcile]
            time_zone = "America/Denver"
            """)
        #expect(config.declines.mode == .suggest)
        #expect(config.declineRules.retryDays == [2, 4, 7, 10])
        #expect(config.declineRules.maximumRetries == 4)
        #expect(config.declineRules.window.description == "08:30-17:00")
        #expect(config.declineRules.emailAfterDays == 3)
        #expect(config.declineRules.timeZone.identifier == "America/Denver")
    }

    @Test func theEnvironmentOverridesAsText() throws {
        let config = try load(
            "[declines]\nmode = \"suggest\"\n",
            environment: ["POSPLUS_DECLINES_MODE": "auto", "POSPLUS_DECLINES_RETRY_DAYS": "none", "POSPLUS_DECLINES_EMAIL_AFTER_DAYS": "5"])
        #expect(config.declines.mode == .auto)
        #expect(config.declineRules.retryDays.isEmpty)
        #expect(config.declineRules.emailAfterDays == 5)
    }

    @Test func badValuesAreRefusedNamingTheKeyAndWhatToWrite() {
        #expect(problem("[declines]\nmode = \"sometimes\"") == "\"declines.mode\": must be off, suggest or auto, not \"sometimes\"")
        #expect(
            problem("[declines]\nretry_days = \"5,3\"")
                == "\"declines.retry_days\": 5,3 must go up, each day later than the one before (like 1,3,5)")
        #expect(problem("[declines]\nretry_days = \"1,x\"") == "\"declines.retry_days\": \"1,x\" is not a list of days like \"1,3,5\"")
        #expect(problem("[declines]\nretry_days = \"1,45\"") == "\"declines.retry_days\": day 45 is outside 1 to 30")
        #expect(
            problem("[declines]\nretry_days = \"1,2,3,4,5,6,7,8,9\"") == "\"declines.retry_days\": 9 retries is more than the 8 allowed")
        #expect(
            problem("[declines]\nretry_window = \"22:00-06:00\"")
                == "\"declines.retry_window\": 22:00-06:00: the window must end after it starts, within one day, like 09:00-18:00")
        #expect(
            problem("[declines]\nretry_window = \"9am-5pm\"") == "\"declines.retry_window\": \"9am-5pm\" is not a window like 09:00-18:00")
        #expect(problem("[declines]\nemail_after_days = 0") == "\"declines.email_after_days\": 0 days is outside 1 to 30")
        #expect(problem("[declines]\nemail_after_days = \"two\"") == "\"declines.email_after_days\": \"two\" is not a whole number")
    }

    @Test func aMisspeltKeyIsRefusedWithTheNearestOne() {
        #expect(problem("[declines]\nretry_day = \"1,3\"")?.contains("Did you mean \"declines.retry_days\"?") == true)
    }
}

@Suite("Configuration: [reminders], reminders of unpaid invoices")
struct ReminderSettingsTests {
    let settings = DeclineSettingsTests()

    @Test func offByDefaultWithTheStandardDaysAndALimitInTheBusinessCurrency() throws {
        let config = try settings.load("[business]\ncurrency = \"CAD\"\n")
        #expect(config.reminders.mode == .off)
        #expect(config.reminderRules.days == [-3, 0, 7, 14])
        #expect(config.reminderRules.window.description == "09:00-19:00")
        #expect(config.reminderRules.underOrAt.formatted == Money(minorUnits: 100_000, currency: .cad).formatted)
    }

    @Test func aFileSetsThemAndTheZoneComesFromReconcile() throws {
        let config = try settings.load(
            """
            [reminders]
            mode = "auto"
            days = "0,5,10"
            send_window = "10:00-16:30"
            under = "250.00"

            [reconcile]
            time_zone = "America/Chicago"
            """)
        #expect(config.reminders.mode == .auto)
        #expect(config.reminderRules.days == [0, 5, 10] && config.reminderRules.window.description == "10:00-16:30")
        #expect(config.reminderRules.underOrAt == Money(minorUnits: 25_000, currency: .usd))
        #expect(config.reminderRules.timeZone.identifier == "America/Chicago")
    }

    @Test func badValuesAreRefusedNamingTheKey() {
        #expect(settings.problem("[reminders]\nmode = \"always\"") == "\"reminders.mode\": must be off, suggest or auto, not \"always\"")
        #expect(settings.problem("[reminders]\ndays = \"7,0\"") == "\"reminders.days\": 7,0 must go up, like -3,0,7,14")
        #expect(settings.problem("[reminders]\ndays = \"soon\"") == "\"reminders.days\": \"soon\" is not a list of days like \"-3,0,7,14\"")
        #expect(settings.problem("[reminders]\nunder = \"0\"") == "\"reminders.under\": must be more than zero")
        #expect(
            settings.problem("[reminders]\nsend_window = \"20:00-08:00\"")
                == "\"reminders.send_window\": 20:00-08:00: the window must end after it starts, within one day, like 09:00-18:00")
    }
}
