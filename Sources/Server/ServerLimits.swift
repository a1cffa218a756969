import Bridge
import Hummingbird
import HummingbirdCore
import NIOCore

/// What keeps slow or abandoned connections from tying `posplus serve` up: a sender that opens
/// a connection and dribbles its request (or nothing) is cut off, and only so many connections
/// are held at once, so `/health` and real webhooks are still answered during such a flood.
public struct ServerLimits: Sendable {
    /// A connection that has not sent a whole request head for this long (or nothing between
    /// requests) is closed. Hummingbird counts it from the last complete request part, so a
    /// head sent a byte at a time does not keep a connection alive.
    public var idleTimeout: Duration = .seconds(10)
    /// A request body must arrive in full within this long (408, and the connection closes).
    /// Shorter than ``idleTimeout``, so a body that stops half way is answered before the
    /// idle timer drops the connection without a word.
    public var bodyTimeout: Duration = .seconds(5)
    /// Connections open at once; more wait in the listen backlog until one closes.
    public var maximumConnections = 256
    /// Bounds on the request head; webhooks and the API need far less.
    public var maximumHeaderBytes = 16 * 1024
    public var maximumHeaderFields = 100

    public init() {}

    /// Hummingbird's HTTP/1 server with these limits.
    public var server: HTTPServerBuilder {
        .http1(
            configuration: HTTP1Channel.Configuration(
                idleTimeout: TimeAmount(idleTimeout),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: maximumHeaderBytes, maxHeaderListSize: maximumHeaderBytes, maxHeaderFieldCount: maximumHeaderFields)
            ))
    }

    /// The connection cap, as Hummingbird's accept loop applies it.
    public var availableConnections: any AvailableConnectionsDelegate { MaximumAvailableConnections(maximumConnections) }
}

/// The request context of posplus's own endpoints: Hummingbird's core, plus the connection, so
/// an endpoint that refuses a request it will not read (too large, too slow) can close it
/// instead of reading the rest of the body first.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Who is asking, once ``StaffAuthenticator`` has checked (nil on routes without it).
    public var staff: StaffIdentity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
