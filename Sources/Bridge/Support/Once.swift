import Synchronization

/// A value made the first time it is asked for and kept for the life of the process, so
/// what is costly or must be unique (the ledger's one `DatabasePool`, a terminal's supervisor)
/// is built once; a failed attempt keeps nothing, so the next ask tries again.
final class Once<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    init() {}

    /// The kept value, or the one `make` builds now (under the lock: two callers never both build).
    func get<E: Error>(_ make: () throws(E) -> Value) throws(E) -> Value {
        try value.withLock { (kept: inout Value?) throws(E) -> Value in
            if let kept { return kept }
            let made = try make()
            kept = made
            return made
        }
    }
}
