import HummingbirdBcrypt
import PosPlusCore
import Synchronization

/// bcrypt from hummingbird-auth, run where it cannot stall the service.
///
/// A hash at cost 12 keeps a core busy for a few hundred milliseconds. On the cooperative pool
/// that would hold up every request and timer in `serve`, so each runs on a thread of its own
/// (``onOwnThread(named:_:)``, as the project does for other blocking work), and at most
/// ``concurrentHashes`` run at once: a burst of logins queues instead of starting a thread each
/// and starving the machine.
public struct PasswordHasher: Sendable {
    public let cost: Int
    private let gate: HashGate

    public static let concurrentHashes = 2

    public init(cost: Int) {
        precondition(StaffSettings.bcryptCosts.contains(cost), "bcrypt cost out of range")
        self.cost = cost
        gate = HashGate(width: Self.concurrentHashes)
    }

    /// A new salted hash of `password` (`$2b$COST$…`).
    public func hash(_ password: StaffPassword) async -> String {
        let cost = UInt8(cost)
        return await gate.run { Bcrypt.hash(password.secret.expose(), cost: cost) }
    }

    /// Whether `password` is the one `hash` was made from; `hash` nil (no such person) checks
    /// against a decoy hash at the same cost and answers false, taking as long as a real check.
    public func verify(_ password: String, against hash: String?) async -> Bool {
        // bcrypt ignores what follows byte 72 or a NUL: such a password is never right.
        let usable = password.utf8.count <= StaffPassword.bytes.upperBound && !password.utf8.contains(0)
        guard let hash, usable else {
            let decoy = await decoyHash()
            _ = await gate.run { Bcrypt.verify(password, hash: decoy) }
            return false
        }
        return await gate.run { Bcrypt.verify(password, hash: hash) }
    }

    private func decoyHash() async -> String {
        if let made = gate.decoy.withLock({ $0 }) { return made }
        let cost = UInt8(cost)
        let made = await gate.run { Bcrypt.hash("posplus decoy \(UInt64.random(in: .min ... .max))", cost: cost) }
        gate.decoy.withLock { $0 = $0 ?? made }
        return made
    }
}

/// At most `width` blocking jobs at once, each on its own thread; the rest wait their turn.
final class HashGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let width: Int
    private let state = Mutex(State())
    /// Spent on names that do not exist, so they take as long as a wrong password; made once.
    let decoy = Mutex<String?>(nil)

    init(width: Int) { self.width = width }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await enter()
        defer { leave() }
        return await onOwnThread(named: "posplus.bcrypt", body)
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.running < width {
                    state.running += 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()  // the slot passes straight to the next in line
        }
        next?.resume()
    }
}
