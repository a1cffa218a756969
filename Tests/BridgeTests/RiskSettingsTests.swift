import Bridge
import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite("Configuration: [risk], risk holds")
struct RiskSettingsTests {
    /// The config loader over a file in a fresh home, as the declines settings tests use it.
    let files = DeclineSettingsTests()

    func load(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> PosPlusConfig {
        try files.load(text, environment: environment)
    }

    func problem(_ text: String, environment: [String: String] = [:]) -> String? { files.problem(text, environment: environment) }

    @Test func offByDefaultWithTheStandardRules() throws {
        let config = try load("")
        #expect(config.risk.mode == .off && config.risk.holdAt == 50)
        #expect(config.risk.rules == RiskRules())
    }

    @Test func aFileSetsTheModeLevelLimitsAndWeights() throws {
        let config = try load(
            """
            [business]
            currency = "CAD"

            [risk]
            mode = "auto"
            hold_at = 70
            new_client_over = "800.00"
            small_charge = "5.00"
            small_charge_count = 4
            small_charge_window = "30m"
            keyed_over = "250.00"
            declined_card_days = 7
            usual_multiple = 4
            usual_minimum_payments = 5
            weights = "new_client=20, keyed_entry=0"
            """)
        let rules = config.risk.rules
        #expect(config.risk.mode == .auto && config.risk.holdAt == 70)
        #expect(rules.newClientLimitMinor == 80_000 && rules.smallChargeMinor == 500 && rules.keyedLimitMinor == 25_000)
        #expect(rules.smallChargeCount == 4 && rules.smallChargeWindow == .seconds(1_800))
        #expect(rules.declinedCardLookback == .seconds(7 * 86_400))
        #expect(rules.usualMultiple == 4 && rules.usualMinimumPayments == 5)
        #expect(rules.weights[.newClient] == 20 && rules.weights[.keyedEntry] == 0 && rules.weights[.cardTesting] == 60)
    }

    @Test func theEnvironmentOverridesAsText() throws {
        let config = try load(
            "[risk]\nmode = \"auto\"\n",
            environment: ["POSPLUS_RISK_MODE": "suggest", "POSPLUS_RISK_HOLD_AT": "90", "POSPLUS_RISK_SMALL_CHARGE_COUNT": "5"])
        #expect(config.risk.mode == .suggest && config.risk.holdAt == 90 && config.risk.rules.smallChargeCount == 5)
    }

    @Test func suggestHoldsAnySignalAndAutoOnlyAtTheLevel() {
        let weak = RiskAssessment(signals: [RiskSignal(kind: .keyedEntry, weight: 30, sentence: "keyed")])
        let none = RiskAssessment(signals: [])
        var settings = RiskSettings()
        #expect(!settings.holds(weak) && !settings.holds(none), "off holds nothing")
        settings.mode = .suggest
        #expect(settings.holds(weak) && !settings.holds(none))
        settings.mode = .auto
        #expect(!settings.holds(weak) && !settings.holds(none))
        settings.holdAt = 30
        #expect(settings.holds(weak), "at the level holds")
    }

    @Test func badValuesAreRefusedNamingTheKeyAndWhatToWrite() {
        #expect(problem("[risk]\nmode = \"maybe\"") == "\"risk.mode\": must be off, suggest or auto, not \"maybe\"")
        #expect(problem("[risk]\nhold_at = 0") == "\"risk.hold_at\": must be from 1 to 5000, not 0")
        #expect(problem("[risk]\nnew_client_over = 500.5")?.contains("write the amount in quotes") == true)
        #expect(problem("[risk]\nsmall_charge_count = 1") == "\"risk.small_charge_count\": must be from 2 to 100, not 1")
        #expect(problem("[risk]\ndeclined_card_days = 120") == "\"risk.declined_card_days\": must be from 1 to 90, not 120")
        #expect(problem("[risk]\nusual_multiple = \"three\"") == "\"risk.usual_multiple\": \"three\" is not a whole number")
        #expect(
            problem("[risk]\nweights = \"new_client=40,vibes=10\"")?.hasPrefix("\"risk.weights\": \"vibes=10\" is not NAME=POINTS") == true)
        #expect(problem("[risk]\nweights = \"card_testing=5000\"")?.contains("0 to 1000") == true)
    }
}
