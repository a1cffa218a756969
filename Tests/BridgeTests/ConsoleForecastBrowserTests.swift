import Foundation
import Testing

/// The console's cash-flow page in a real browser (``ConsoleBrowserTests`` runs Chromium the
/// same way): a manager opens it and sees the horizons, the chart drawn, DSO and the chase list
/// in the API's order. Screenshots go to `.build/console-screenshots/forecast/`.
@Suite("Console cash-flow page in Chromium", .serialized, .timeLimit(.minutes(3)))
struct ConsoleForecastBrowserTests {
    @Test func aManagerSeesTheChartAndTheChaseListWithReasons() async throws {
        try await ConsoleBrowserTests.requireBrowser()
        let world = try await APIWorld.start()
        let folder = ConsoleBrowserTests.screenshots.appendingPathComponent("forecast")
        print("console screenshots: \(folder.path)")
        let result = try await ConsoleBrowserTests.run(
            "console_forecast.py", [world.server.baseURL, folder.path, "meg", APIWorld.password])
        #expect(result.status == 0, "\(result.output)")
        let chase = result.output.split(separator: "\n").filter { $0.hasPrefix("CHASE ") }.map { String($0.dropFirst(6)) }
        #expect(chase.map { String($0.prefix(5)) } == ["#1050", "#1043", "#1060", "#1044", "#1042"], "\(chase)")
        await world.stop()
    }
}
