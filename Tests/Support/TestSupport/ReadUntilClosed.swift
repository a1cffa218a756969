/// Everything a peer sends until it closes the connection, read with `read` (which returns []
/// at its deadline and throws once the connection is closed), or until `limit` passes: then
/// `closed` is false — the peer kept the connection open.
public func readUntilClosed(within limit: Duration = .seconds(10), _ read: (ContinuousClock.Instant) throws -> [UInt8]) -> (
    text: String, closed: Bool
) {
    var received: [UInt8] = []
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        do { received += try read(deadline) } catch { return (String(decoding: received, as: UTF8.self), true) }
    }
    return (String(decoding: received, as: UTF8.self), false)
}
