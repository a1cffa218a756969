import Logging
import PosPlusCore

/// Owns one counter terminal: one transaction in flight at a time, a keepalive when idle,
/// reconnection after a failure, and a health that reflects the *last* check — so one bad
/// moment never leaves the terminal marked broken (the stale-status fault of field lesson 14).
///
/// Generic over its clock so tests drive the keepalive by hand.
public actor TerminalSupervisor<C: Clock<Duration>>: TerminalOperations {
    /// What the last contact with the terminal showed.
    public enum Health: Equatable, Sendable {
        case unknown
        case ready(TerminalStatus)
        case unreachable(String)
    }

    /// Builds (or rebuilds) the driver: after a failure the terminal may be back on another
    /// path (a USB terminal re-plugged as /dev/ttyACM1), so the factory re-resolves it.
    public typealias DriverFactory = @Sendable () async throws -> any TerminalDriver

    public nonisolated let name: String
    private let makeDriver: DriverFactory
    private let clock: C
    private let keepaliveInterval: Duration
    private let logger: Logger
    private var driver: (any TerminalDriver)?
    private var inFlight = false
    public private(set) var health: Health = .unknown
    private var lastStatus: TerminalStatus?

    public init(name: String, clock: C, keepaliveInterval: Duration = .seconds(60), logger: Logger, makeDriver: @escaping DriverFactory) {
        self.name = name
        self.clock = clock
        self.keepaliveInterval = keepaliveInterval
        var logger = logger
        logger[metadataKey: "terminal.name"] = "\(name)"
        self.logger = logger
        self.makeDriver = makeDriver
    }

    /// Whether a transaction is running now.
    public var isBusy: Bool { inFlight }

    /// Carries out a money request; a second one while the first runs is refused at once
    /// with ``TerminalError/busy(terminal:)`` — never queued behind a customer's card.
    public func perform(_ request: TerminalRequest) async throws -> TerminalResult {
        try await exclusively { try await $0.perform(request) }
    }

    /// Looks a reference up in the terminal's log (in-doubt recovery).
    public func lookup(_ reference: PaymentReference) async throws -> TerminalLookup {
        try await exclusively { try await $0.lookup(reference) }
    }

    public func closeBatch() async throws -> BatchSummary {
        try await exclusively { try await $0.closeBatch() }
    }

    /// Lists the open batch. Exclusive like a transaction: a listing takes many exchanges, and
    /// a sale landing between two of them would shift the records under it.
    public func batchRecords() async throws -> [TerminalBatchRecord] {
        try await exclusively { try await $0.batchRecords() }
    }

    /// Asks the terminal to cancel the running transaction. Allowed while busy — that is its
    /// point; the transaction's own answer says whether it was cancelled.
    public func cancel() async throws {
        try await currentDriver().cancel()
    }

    /// One keepalive: ask the terminal for its status, unless a transaction is running.
    /// Rebuilds the driver after a failure, so a re-plugged terminal comes back by itself.
    @discardableResult
    public func checkHealth() async -> Health {
        guard !inFlight else { return health }
        inFlight = true
        defer { inFlight = false }
        do {
            let status = try await currentDriver().status()
            if case .unreachable = health { logger.notice("terminal reachable again") }
            health = .ready(status)
            lastStatus = status
        } catch {
            if health != .unreachable("\(error)") { logger.warning("terminal unreachable", metadata: ["error": "\(error)"]) }
            health = .unreachable("\(error)")
            driver = nil  // rebuild on the next attempt
        }
        return health
    }

    /// Runs keepalives every interval until the task is cancelled.
    public func runKeepalive() async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: keepaliveInterval) } catch { return }
            await checkHealth()
        }
    }

    private func exclusively<T: Sendable>(_ body: (any TerminalDriver) async throws -> T) async throws -> T {
        guard !inFlight else { throw TerminalError.busy(terminal: name) }
        inFlight = true
        defer { inFlight = false }
        let driver = try await currentDriver()
        do {
            let result = try await body(driver)
            // The terminal just answered: whatever the last keepalive said, it is reachable.
            if case .unreachable = health { health = lastStatus.map(Health.ready) ?? .unknown }
            return result
        } catch let error as TerminalError {
            if case .notDelivered(let reason) = error {
                health = .unreachable(reason)
                self.driver = nil
            }
            throw error
        }
    }

    private func currentDriver() async throws -> any TerminalDriver {
        if let driver { return driver }
        do {
            let made = try await makeDriver()
            driver = made
            return made
        } catch {
            health = .unreachable("\(error)")
            throw TerminalError.notDelivered("terminal \(name) is not connected: \(error)")
        }
    }
}
