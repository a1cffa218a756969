/// A two-way byte stream to a terminal: a serial port, a USB serial device or a TCP socket.
///
/// Blocking on purpose, with a deadline on every call: a link-layer exchange is a short,
/// strictly ordered conversation, and drivers run it on their own queue, never on Swift's
/// cooperative threads. A read returns as soon as *some* bytes arrive (a terminal's reply
/// comes in pieces); framing is the decoder's job.
public protocol ByteTransport: AnyObject, Sendable {
    /// Writes every byte before the deadline or throws.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TransportError)
    /// Returns the bytes available (at least one), or an empty array once the deadline passed.
    /// Throws ``TransportError/closed`` when the other side hung up.
    func read(maximum: Int, deadline: ContinuousClock.Instant) throws(TransportError) -> [UInt8]
    /// Releases the port or socket. Safe to call twice.
    func close()
}

/// Why a transport call failed.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case openFailed(String)
    case connectFailed(String)
    /// The other side closed the connection (or the device went away).
    case closed
    case timedOut
    case io(String)

    public var description: String {
        switch self {
        case .openFailed(let reason): return "cannot open the port: \(reason)"
        case .connectFailed(let reason): return "cannot connect: \(reason)"
        case .closed: return "the connection was closed"
        case .timedOut: return "timed out"
        case .io(let reason): return "I/O error: \(reason)"
        }
    }
}
