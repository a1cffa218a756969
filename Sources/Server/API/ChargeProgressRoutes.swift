import AsyncAlgorithms
import Bridge
import Foundation
import Hummingbird
import Ledger
import NIOCore
import PosPlusCore

/// Live status of a charge for the counter page, by the idempotency key the page sent it under:
/// server-sent events (sent → waiting for the card → the answer), and a cancel that asks the
/// terminal to stop while it waits for the card.
///
/// Progress lives in this process's memory (``PaymentProgressHub``); for a payment it no longer
/// holds (made by another process, or long ago) the ledger's record is sent as the answer, so a
/// page that reconnects always ends on what was recorded.
struct ChargeProgressRoutes: Sendable {
    let app: PosPlusApp
    /// A comment line this often keeps proxies and the server's idle limit from closing a stream
    /// while the customer looks for their card.
    static let heartbeat: Duration = .seconds(4)

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/charges/{key}/events", .permission(.chargeCard))) { call in
                let key = try IdempotencyKey(try call.parameter("key"))
                return try events(for: key)
            },
            APIEndpoint(APIRoute(.post, "/api/charges/{key}/cancel", .permission(.chargeCard))) { call in
                let key = try IdempotencyKey(try call.parameter("key"))
                guard let payment = try app.ledger().payment(idempotencyKey: key) else {
                    throw APIError(.notFound, code: "not_found", message: "No payment was made under key \(key).")
                }
                guard [.intended, .sent].contains(payment.state) else {
                    throw APIError(
                        .conflict, code: "already_answered",
                        message: "Payment \(payment.id) already has its answer (\(payment.state.rawValue)); nothing is waiting to cancel.")
                }
                try await app.channel(thatTook: payment).cancelInProgress()
                return call.json(
                    CancelRequested(
                        paymentID: payment.id,
                        message: "Asked \(payment.channel) to cancel. The payment's own answer says whether it stopped in time."),
                    status: .accepted)
            },
        ]
    }

    struct CancelRequested: Encodable {
        var paymentID: Int64
        var message: String
    }

    private func events(for key: IdempotencyKey) throws -> Response {
        let hub = app.paymentProgress
        let stream: AsyncStream<PaymentProgress>
        if hub.history(of: key.rawValue).isEmpty, let payment = try app.ledger().payment(idempotencyKey: key),
            ![.intended, .sent].contains(payment.state)
        {
            // Not followed here (or long finished): what the ledger recorded is the answer.
            stream = AsyncStream { continuation in
                continuation.yield(
                    PaymentProgress(
                        idempotencyKey: key.rawValue, paymentID: payment.id, channel: payment.channel, stage: .answered,
                        state: payment.state, message: payment.message))
                continuation.finish()
            }
        } else {
            stream = hub.progress(of: key.rawValue)
        }
        let lines = merge(
            stream.map { Self.event($0) },
            AsyncTimerSequence(interval: Self.heartbeat, clock: ContinuousClock()).map { _ in
                Line(buffer: ByteBuffer(string: ": still waiting\n\n"), isLast: false)
            }
        )
        let body = ResponseBody { writer in
            // The heartbeat never ends: stop after the answer.
            for try await line in lines {
                try await writer.write(line.buffer)
                if line.isLast { break }
            }
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One server-sent event: `event: progress` and the progress as JSON.
    static func event(_ progress: PaymentProgress) -> Line {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? String(decoding: encoder.encode(progress), as: UTF8.self)) ?? "{}"
        return Line(buffer: ByteBuffer(string: "event: progress\ndata: \(json)\n\n"), isLast: progress.isLast)
    }

    struct Line: Sendable {
        var buffer: ByteBuffer
        var isLast: Bool
    }
}
