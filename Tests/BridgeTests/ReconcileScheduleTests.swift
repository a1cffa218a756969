import Bridge
import Foundation
import PosPlusCore
import Server
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

/// serve's reconcile runs at set local times, not at start: the schedule is pure, and the
/// service sleeps on an injected clock until the next time, runs, and stops on shutdown.
@Suite("Reconcile on serve's schedule")
struct ReconcileScheduleTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!

    /// 2026-12-02 at `hour`:`minute` in Chicago (UTC−6 in December).
    static func chicago(_ hour: Int, _ minute: Int = 0, day: Int = 2) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chicago
        return calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute))!
    }

    @Test func dailyAtSixLocalIsTheNextSixAfterNow() {
        let daily = ReconcileSchedule(every: .seconds(86_400), at: TimeOfDay(hour: 6, minute: 0), timeZone: Self.chicago)
        #expect(daily.next(after: Self.chicago(3)) == Self.chicago(6))
        #expect(daily.next(after: Self.chicago(6)) == Self.chicago(6, day: 3), "strictly after: not twice at six")
        #expect(daily.next(after: Self.chicago(23, 59)) == Self.chicago(6, day: 3))
        let sixHourly = ReconcileSchedule(every: .seconds(6 * 3_600), at: TimeOfDay(hour: 6, minute: 0), timeZone: Self.chicago)
        #expect(sixHourly.next(after: Self.chicago(3)) == Self.chicago(6))
        #expect(sixHourly.next(after: Self.chicago(13)) == Self.chicago(18))
        #expect(sixHourly.next(after: Self.chicago(1)) == Self.chicago(6), "midnight passed; six is next")
    }

    @Test(.timeLimit(.minutes(1))) func theServiceRunsAtTheScheduledTimeNotAtStartAndStopsOnShutdown() async throws {
        let clock = ManualClock()
        let start = Self.chicago(5)
        let origin = clock.now
        let now: @Sendable () -> Date = { start.addingTimeInterval(origin.duration(to: clock.now).timeInterval) }
        let schedule = ReconcileSchedule(every: .seconds(86_400), at: TimeOfDay(hour: 6, minute: 0), timeZone: Self.chicago)
        let (runs, ran) = AsyncStream<Date>.makeStream()
        let service = ScheduledService("reconcile", clock: clock, now: now, next: schedule.next(after:)) { ran.yield(now()) }
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var times = runs.makeAsyncIterator()
                await clock.waitForSleepers()
                clock.advance(by: .seconds(3_599))
                #expect(clock.sleeperCount == 1, "not at start, not before six")
                clock.advance(by: .seconds(1))
                #expect(await times.next() == Self.chicago(6))
                await clock.waitForSleepers()
                clock.advance(by: .seconds(86_400))
                #expect(await times.next() == Self.chicago(6, day: 3), "and again the next morning")

                await clock.waitForSleepers()
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(clock.sleeperCount == 0)
    }
}
