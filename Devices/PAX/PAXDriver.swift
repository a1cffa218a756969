import Dispatch
import Foundation
import Logging
import PosPlusCore
import Terminal

/// A PAX terminal speaking POSLink, over serial, TCP or HTTP.
///
/// Exchanges run one at a time, each on a thread of its own (blocking I/O with deadlines
/// never occupies the threads Swift's concurrency runs on; see ``onOwnThread(named:_:)``). The serial port stays open
/// between requests and is re-opened after a failure; TCP and HTTP use a connection per
/// request, as the terminals expect. Logs carry command, result code and our reference —
/// never account data.
public final class PAXDriver: TerminalDriver, @unchecked Sendable {
    public let connection: TerminalEndpoint
    public let timeouts: POSLinkTimeouts
    /// The POSLink protocol version sent in every request.
    public let protocolVersion: String
    /// The business's currency: POSLink amounts are bare cents, so replies that do not echo a
    /// request's amount (lookups, batch totals) are read in it.
    public let currency: Currency
    let logger: Logger
    /// Held for the whole of one exchange: one request on the wire at a time.
    private let exchangeLock = NSLock()
    /// Guarded by `lock`: the open serial port, shared with `cancel()`.
    private var serialPort: SerialPort?
    private let lock = NSLock()

    public init(
        connection: TerminalEndpoint, timeouts: POSLinkTimeouts = POSLinkTimeouts(), protocolVersion: String = "1.28",
        currency: Currency = .usd, logger: Logger
    ) {
        self.connection = connection
        self.timeouts = timeouts
        self.protocolVersion = protocolVersion
        self.currency = currency
        var logger = logger
        logger[metadataKey: "terminal.connection"] = "\(connection)"
        self.logger = logger
    }

    deinit { serialPort?.close() }

    // MARK: TerminalDriver

    public func status() async throws -> TerminalStatus {
        let response = try await administrative(POSLinkRequest.initialize(version: protocolVersion), answering: .initialize)
        guard response.resultCode == "000000" else { throw TerminalError.failed("status: \(response.resultText) (\(response.resultCode))") }
        return TerminalStatus(
            serialNumber: response.frame.value(5), model: nonEmpty(response.frame.value(6)),
            softwareVersion: nonEmpty(response.frame.value(7)), message: response.resultText)
    }

    public func perform(_ request: TerminalRequest) async throws -> TerminalResult {
        let (frame, command) = try POSLinkMapping.frame(for: request, version: protocolVersion)
        logger.info("terminal request", metadata: ["command": "\(command.rawValue)", "reference": "\(request.reference)"])
        let exchange = await run(frame, responseTimeout: timeouts.response)
        let result: TerminalResult
        switch exchange {
        case .notDelivered(let reason):
            logger.warning("request not delivered", metadata: ["reference": "\(request.reference)", "reason": "\(reason)"])
            throw TerminalError.notDelivered(reason)
        case .unknown(let reason):
            result = TerminalResult(outcome: .unknown(reason: reason), resultCode: "", message: reason, reference: request.reference)
        case .reply(let reply):
            do {
                let response = try POSLinkResponse(reply, answering: command)
                let parsed = try POSLinkMapping.result(from: response, for: request, currency: currency)
                if let echoed = parsed.reference, echoed != request.reference, response.resultCode != "100011" {
                    // A reply to some other request (a late answer left on a serial line):
                    // never attribute it to this one.
                    let reason = "the terminal answered for reference \(echoed), not \(request.reference)"
                    result = TerminalResult(
                        outcome: .unknown(reason: reason), resultCode: response.resultCode, message: reason, reference: request.reference)
                } else {
                    result = parsed
                }
            } catch {
                // Accepted by the terminal, answer unreadable: the charge may have happened.
                let reason = "the terminal's reply could not be read (\(error))"
                result = TerminalResult(outcome: .unknown(reason: reason), resultCode: "", message: reason, reference: request.reference)
            }
        }
        logger.info(
            "terminal result",
            metadata: ["reference": "\(request.reference)", "resultCode": "\(result.resultCode)", "outcome": "\(result.outcome)"])
        return result
    }

    public func cancel() async throws {
        let frame = POSLinkRequest.cancel(version: protocolVersion)
        switch connection {
        case .http:
            throw TerminalError.unsupported("cancel in HTTP mode")
        case .tcp(let host, let port):
            // A second connection while the first one waits (the terminals allow this).
            let socket = try TCPConnection(host: host, port: port, deadline: .now + timeouts.connect)
            defer { socket.close() }
            try socket.write(frame.bytes, deadline: .now + timeouts.ack)
            _ = try? socket.read(maximum: 64, deadline: .now + timeouts.ack)
        case .serial:
            // The line is busy with the transaction being cancelled: write the request on it;
            // the running exchange skips the stray ACK/EOT that answers it.
            let port = lock.withLock { serialPort }
            guard let port else { throw TerminalError.notDelivered("no transaction is running on the serial line") }
            try port.write(frame.bytes, deadline: .now + timeouts.ack)
        }
    }

    public func lookup(_ reference: PaymentReference) async throws -> TerminalLookup {
        let response = try await administrative(
            POSLinkRequest.localDetailReport(reference: reference.rawValue, version: protocolVersion), answering: .localDetailReport)
        return try POSLinkMapping.lookup(from: response, reference: reference, currency: currency)
    }

    public func closeBatch() async throws -> BatchSummary {
        let response = try await administrative(
            POSLinkRequest.batchClose(timestamp: POSLinkMapping.timestamp(Date()), version: protocolVersion), answering: .batchClose)
        guard response.resultCode == "000000" else {
            throw TerminalError.failed("batch close: \(response.resultText) (\(response.resultCode))")
        }
        let total = Int64(response.frame.value(POSLinkResponse.BatchField.totalAmount)) ?? 0
        return BatchSummary(
            count: Int(response.frame.value(POSLinkResponse.BatchField.totalCount)) ?? 0,
            total: Money(minorUnits: total, currency: currency), message: response.resultText)
    }

    public func reset() async throws {
        let response = try await administrative(POSLinkRequest.reset(version: protocolVersion), answering: .reset)
        guard response.resultCode == "000000" else { throw TerminalError.failed("reset: \(response.resultText) (\(response.resultCode))") }
    }

    // MARK: Exchanges

    /// One request that moves no money: a lost answer is an error (nothing to look up).
    func administrative(_ frame: POSLinkFrame, answering command: POSLinkRequest.Command) async throws -> POSLinkResponse {
        switch await run(frame, responseTimeout: timeouts.administrative) {
        case .notDelivered(let reason): throw TerminalError.notDelivered(reason)
        case .unknown(let reason): throw TerminalError.failed(reason)
        case .reply(let reply):
            do { return try POSLinkResponse(reply, answering: command) } catch { throw TerminalError.malformedReply(error.description) }
        }
    }

    /// Runs one exchange on its own thread, after any exchange already on the wire.
    /// The caller's ``TerminalProgressReport`` is carried onto that thread and told when the
    /// terminal takes the request.
    private func run(_ frame: POSLinkFrame, responseTimeout: Duration) async -> POSLinkExchange {
        let report = TerminalProgressReport.handler
        let accepted: (@Sendable () -> Void)? = Self.acceptedCallback(report)
        return await onOwnThread(named: "posplus.pax") {
            self.exchangeLock.withLock { self.exchangeNow(frame, responseTimeout: responseTimeout, onAccepted: accepted) }
        }
    }

    private static func acceptedCallback(_ handler: TerminalProgressReport.Handler?) -> (@Sendable () -> Void)? {
        guard let handler else { return nil }
        return { handler.report(.accepted) }
    }

    private func exchangeNow(_ frame: POSLinkFrame, responseTimeout: Duration, onAccepted: (@Sendable () -> Void)?) -> POSLinkExchange {
        switch connection {
        case .http(let host, let port):
            // HTTP has no ACK: the terminal has the request once it is sent, and answers in the reply.
            onAccepted?()
            return POSLinkHTTPExchange(host: host, port: port, timeouts: timeouts).exchange(frame, responseTimeout: responseTimeout)
        case .tcp(let host, let port):
            let socket: TCPConnection
            do { socket = try TCPConnection(host: host, port: port, deadline: .now + timeouts.connect) } catch {
                return .notDelivered("\(error)")
            }
            defer { socket.close() }
            var link = POSLinkLink(transport: socket, timeouts: timeouts)
            return link.exchange(frame, responseTimeout: responseTimeout, onAccepted: onAccepted)
        case .serial(let path, let baudRate):
            let port: SerialPort
            do { port = try openSerial(path: path, baudRate: baudRate) } catch { return .notDelivered("\(error)") }
            var link = POSLinkLink(transport: port, timeouts: timeouts)
            let result = link.exchange(frame, responseTimeout: responseTimeout, onAccepted: onAccepted)
            if case .reply = result {} else { dropSerial() }  // re-open next time: the device may have been re-plugged
            return result
        }
    }

    private func openSerial(path: String, baudRate: Int) throws(TransportError) -> SerialPort {
        if let open = lock.withLock({ serialPort }) { return open }
        let port = try SerialPort(path: path, baudRate: baudRate)
        lock.withLock { serialPort = port }
        return port
    }

    private func dropSerial() {
        let port = lock.withLock { () -> SerialPort? in
            defer { serialPort = nil }
            return serialPort
        }
        port?.close()
    }

    private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
