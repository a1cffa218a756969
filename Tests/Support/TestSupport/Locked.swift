import Foundation

/// A value shared between a test and the threads of the servers it drives.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    public func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
