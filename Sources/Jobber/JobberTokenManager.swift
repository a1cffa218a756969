import Foundation
import PosPlusCore

/// Hands out a valid access token, refreshing shortly before expiry or after a 401.
///
/// The pair is read from the store for every request and never kept past it: `posplus serve`
/// and any CLI command share one ledger, and whichever refreshes first rotates the refresh
/// token for all of them (a cached pair would be dead after another process's refresh, and a
/// cleared one would keep calling Jobber after a disconnect).
///
/// A refresh happens under the store's claim, which holds across processes: only the claimant
/// presents the refresh token, the others wait and read what it stored. The new pair is stored
/// by compare-and-swap before anyone uses it; if another pair was stored meanwhile, that one
/// stands and is used. Within this process, callers refreshing the same pair share one refresh.
public actor JobberTokenManager {
    private let store: any JobberTokenStore
    private let refresher: @Sendable (JobberTokens) async throws(JobberError) -> JobberTokens
    private let now: @Sendable () -> Date
    private let margin: TimeInterval
    private let lease: TimeInterval
    private let pause: @Sendable (Duration) async throws -> Void
    private var refreshing: (refreshToken: String, task: Task<JobberTokens, any Error>)?
    /// How many refreshes this manager really sent to Jobber (for tests and `jobber status`).
    public private(set) var refreshCount = 0

    /// - Parameters:
    ///   - lease: how long a refresh may take before another process may try (the token
    ///     endpoint's answer comes well within it).
    ///   - pause: how to wait while another process refreshes (a test injects its clock).
    public init(
        store: any JobberTokenStore, margin: TimeInterval = 60, lease: TimeInterval = 30,
        now: @escaping @Sendable () -> Date = Date.init,
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        refresher: @escaping @Sendable (JobberTokens) async throws(JobberError) -> JobberTokens
    ) {
        self.store = store
        self.refresher = refresher
        self.now = now
        self.margin = margin
        self.lease = lease
        self.pause = pause
    }

    static var pollInterval: Duration { .milliseconds(50) }

    /// The stored pair, refreshed first if it expires within `margin` seconds.
    public func accessToken() async throws(JobberError) -> JobberTokens {
        let tokens = try await stored()
        if tokens.expiresAt.timeIntervalSince(now()) > margin { return tokens }
        return try await refreshed(tokens)
    }

    /// Refreshes because `rejected` was refused (401). If the stored pair is no longer the one
    /// holding `rejected` (another caller or process refreshed), that pair is returned as is.
    public func refresh(replacing rejected: Secret<String>) async throws(JobberError) -> JobberTokens {
        let tokens = try await stored()
        if tokens.accessToken != rejected { return tokens }
        return try await refreshed(tokens)
    }

    /// Jobber answered `tokens` with "User has disconnected this app": the store forgets them,
    /// so every process stops calling Jobber now rather than when the webhook is processed.
    public func accountDisconnected(refusing tokens: JobberTokens) async {
        try? await store.markDisconnected(tokens)
    }

    private func stored() async throws(JobberError) -> JobberTokens {
        let tokens: JobberTokens?
        do { tokens = try await store.load() } catch { throw .notConnected("cannot read the stored connection: \(error)") }
        guard let tokens else { throw .notConnected("no Jobber account is connected") }
        return tokens
    }

    private func refreshed(_ stale: JobberTokens) async throws(JobberError) -> JobberTokens {
        if let refreshing, refreshing.refreshToken == stale.refreshToken.expose() { return try await Self.value(of: refreshing.task) }
        let task = Task<JobberTokens, any Error> { try await self.refreshUnderClaim(stale) }
        refreshing = (stale.refreshToken.expose(), task)
        defer { if refreshing?.refreshToken == stale.refreshToken.expose() { refreshing = nil } }
        return try await Self.value(of: task)
    }

    /// Claims the refresh of `stale` in the store, or waits for the process that holds it.
    private func refreshUnderClaim(_ stale: JobberTokens) async throws(JobberError) -> JobberTokens {
        let polls = Int(lease / 0.05) + 20  // a claimant that died lets its lease run out; then we claim
        for _ in 0..<polls {
            let claim: JobberRefreshClaim
            do { claim = try await store.claimRefresh(of: stale, lease: lease) } catch {
                throw .notConnected("cannot read the stored connection: \(error)")
            }
            switch claim {
            case .replaced(let current): return current
            case .notConnected: throw .notConnected("no Jobber account is connected")
            case .busy:
                do { try await pause(Self.pollInterval) } catch { throw .notConnected("stopped while waiting for a token refresh") }
            case .claimed:
                return try await refreshClaimed(stale)
            }
        }
        throw .notConnected("another posplus process has been refreshing the Jobber token for too long")
    }

    private func refreshClaimed(_ stale: JobberTokens) async throws(JobberError) -> JobberTokens {
        refreshCount += 1
        let fresh: JobberTokens
        do { fresh = try await refresher(stale) } catch {
            try? await store.releaseRefresh(of: stale)
            // Refused: a pair stored meanwhile by someone not bound by the claim (a reconnect)
            // is still good; otherwise the refresh token is dead and staff must connect again.
            if let current = try? await store.load(), current.refreshToken != stale.refreshToken { return current }
            throw error
        }
        let current: JobberTokens?
        do { current = try await store.storeRefreshed(fresh, replacing: stale) } catch {
            throw .notConnected("could not save the refreshed tokens: \(error)")
        }
        guard let current else { throw .notConnected("the Jobber account was disconnected during a token refresh") }
        return current
    }

    private static func value(of task: Task<JobberTokens, any Error>) async throws(JobberError) -> JobberTokens {
        do { return try await task.value } catch let error as JobberError { throw error } catch {
            throw .notConnected("could not refresh the Jobber tokens: \(error)")
        }
    }
}
