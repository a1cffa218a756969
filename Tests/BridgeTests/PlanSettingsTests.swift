import Bridge
import Foundation
import PosPlusCore
import Receivables
import Testing

@Suite("Configuration: [plans], payment plans")
struct PlanSettingsTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("posplus-plans-\(UUID().uuidString)")

    func load(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> PosPlusConfig {
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let path = home.appendingPathComponent("config.toml").path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader(environment: ["HOME": home.path].merging(environment) { $1 }).load(explicitPath: path).config
    }

    func problem(_ text: String) -> String? {
        do {
            _ = try load(text)
            return nil
        } catch { return error.description.components(separatedBy: "config.toml: ").last }
    }

    @Test func offByDefaultOverFiveHundredEveryFourteenDays() throws {
        let plans = try load("").plans
        #expect(plans.mode == .off && plans.minimumAmount == nil && plans.approveOver == nil)
        let proposer = try plans.proposer(currency: .usd, timeZone: TimeZone(identifier: "UTC")!)
        #expect(proposer.eligibility.minimumAmount == Money(minorUnits: 50_000, currency: .usd))
        let thirty = try Proportion(percent: 30)
        #expect(proposer.calendar.spacingDays == 14 && proposer.depositShare == thirty)
    }

    @Test func aFileAndTheEnvironmentSetEveryField() throws {
        let config = try load(
            """
            [plans]
            mode = "auto"
            min_amount = "750.00"
            approve_over = "2000.00"
            spacing_days = 30
            """, environment: ["POSPLUS_PLANS_DEPOSIT_PERCENT": "25"])
        #expect(config.plans.mode == .auto && config.plans.spacingDays == 30 && config.plans.depositPercent == 25)
        #expect(config.plans.minimumAmount == Money(minorUnits: 75_000, currency: .usd))
        #expect(!config.plans.needsManager(Money(minorUnits: 200_000, currency: .usd)), "at the threshold, staff are enough")
        #expect(config.plans.needsManager(Money(minorUnits: 200_001, currency: .usd)))
        var suggest = config.plans
        suggest.mode = .suggest
        #expect(suggest.needsManager(Money(minorUnits: 60_000, currency: .usd)), "in suggest mode a manager approves every plan")
    }

    @Test func badValuesAreRefusedByName() {
        #expect(problem("[plans]\nmode = \"sometimes\"")?.contains("must be off, suggest or auto") == true)
        #expect(problem("[plans]\nspacing_days = 0")?.contains("must be from 1 to 92 days") == true)
        #expect(problem("[plans]\ndeposit_percent = 100")?.contains("from 1 to 99") == true)
        #expect(problem("[plans]\nmin_amount = 500.5")?.contains("write the amount in quotes") == true)
    }
}
