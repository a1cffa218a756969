/// A value that must not reach logs, error messages or `dump()`: API keys, OAuth tokens,
/// webhook secrets. Printing it shows `<redacted>`; reading it takes an explicit `expose()`.
public struct Secret<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// The secret itself, for the one call that needs it.
    public func expose() -> Value { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension Secret: Equatable where Value: Equatable {}
