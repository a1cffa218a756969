import Hummingbird
import HummingbirdCore
import Logging

/// A Hummingbird application serving in the background, on a port it has really bound.
///
/// Tests and simulators need a server they can start on port 0, ask for its port, and stop
/// again, all from code. ``start(router:host:port:logger:)`` returns only once the socket is
/// listening (or throws why it could not be), so a test never races the server's start-up;
/// ``stop()`` cancels the application's service group and waits until it has shut down.
public final class RunningHTTPServer: Sendable {
    /// The host the server listens on (127.0.0.1 unless told otherwise).
    public let host: String
    /// The port the server really bound (never 0).
    public let port: Int
    private let task: Task<Void, any Error>

    /// `http://host:port`, with no trailing slash.
    public var baseURL: String { "http://\(host):\(port)" }

    private init(host: String, port: Int, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.task = task
    }

    /// Starts serving `router` and waits until it listens.
    /// - Parameter port: 0 asks the system for a free port.
    /// - Parameter server: the HTTP server to run (limits such as idle timeouts go here).
    /// - Parameter availableConnections: a cap on connections held at once, if any.
    public static func start<Context: RequestContext>(
        router: Router<Context>, host: String = "127.0.0.1", port: Int = 0, server: HTTPServerBuilder = .http1(),
        availableConnections: (any AvailableConnectionsDelegate)? = nil, logger: Logger
    ) async throws -> RunningHTTPServer where Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (bound, announce) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil, availableConnectionsDelegate: availableConnections),
            onServerRunning: { channel in
                announce.yield(channel.localAddress?.port ?? 0)
                announce.finish()
            },
            logger: logger)
        let task = Task {
            defer { announce.finish() }
            try await app.run()
        }
        var ports = bound.makeAsyncIterator()
        guard let actual = await ports.next(), actual > 0 else {
            try await task.value
            throw ServerStartError(host: host, port: port)
        }
        return RunningHTTPServer(host: host, port: actual, task: task)
    }

    /// Stops the server and waits for it to finish; safe to call more than once.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Serves until the task running this is cancelled or the server fails.
    public func wait() async throws {
        try await task.value
    }
}

/// The server stopped before it ever listened.
public struct ServerStartError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var description: String { "the HTTP server could not listen on \(host):\(port)" }
}
