import Terminal

/// How one request/reply exchange ended, from the link layer's point of view.
public enum POSLinkExchange: Equatable, Sendable {
    /// The terminal accepted the request and replied.
    case reply(POSLinkFrame)
    /// The terminal never accepted the request (no ACK after the re-sends, NAK storm,
    /// no connection): re-sending the same request later is safe.
    case notDelivered(String)
    /// The terminal accepted the request (ACK) and then no valid reply arrived: the outcome
    /// is unknown and must be looked up, never re-sent blindly.
    case unknown(String)
}

/// The ECR side of POSLink's link layer (poslink.md §1.3) on a real ``ByteTransport``: a thin
/// executor for ``POSLinkExchangeMachine``, which holds every rule. This type only writes the
/// bytes the machine asks for, reads events until the deadline it names, and reports back.
public struct POSLinkLink {
    public static var maximumSends: Int { POSLinkExchangeMachine<ContinuousClock.Instant>.maximumSends }
    public static var maximumBadReplies: Int { POSLinkExchangeMachine<ContinuousClock.Instant>.maximumBadReplies }

    let transport: any ByteTransport
    let timeouts: POSLinkTimeouts
    private var decoder = POSLinkDecoder()
    private var pending: [POSLinkEvent] = []

    public init(transport: any ByteTransport, timeouts: POSLinkTimeouts) {
        self.transport = transport
        self.timeouts = timeouts
    }

    /// Runs one exchange. `responseTimeout` overrides the configured one (administrative
    /// calls answer at once; a sale waits for the customer).
    /// `onAccepted` is told once, when the terminal takes the request.
    public mutating func exchange(
        _ request: POSLinkFrame, responseTimeout: Duration? = nil, onAccepted: (@Sendable () -> Void)? = nil
    ) -> POSLinkExchange {
        var machine = POSLinkExchangeMachine<ContinuousClock.Instant>(
            request: request, timeouts: timeouts, responseTimeout: responseTimeout)
        var action = machine.start(at: .now)
        var toldAccepted = false
        while true {
            if !toldAccepted, machine.isAccepted {
                toldAccepted = true
                onAccepted?()
            }
            switch action {
            case .finish(let result):
                return result
            case .sendAndFinish(let bytes, let result):
                try? transport.write(bytes, deadline: .now + timeouts.ack)
                return result
            case .send(let bytes, let deadline):
                do { try transport.write(bytes, deadline: .now + timeouts.ack) } catch {
                    action = machine.handle(.writeFailed("\(error)"), at: .now)
                    continue
                }
                action = machine.handle(nextInput(until: deadline), at: .now)
            case .awaitInput(let deadline):
                action = machine.handle(nextInput(until: deadline), at: .now)
            }
        }
    }

    /// The next event, or that the deadline passed or the link closed.
    private mutating func nextInput(until deadline: ContinuousClock.Instant) -> POSLinkExchangeMachine<ContinuousClock.Instant>.Input {
        do {
            while pending.isEmpty {
                let bytes = try transport.read(maximum: 4096, deadline: deadline)
                if bytes.isEmpty { return .deadlinePassed }
                pending = decoder.feed(bytes)
            }
            return .event(pending.removeFirst())
        } catch {
            return .linkClosed
        }
    }
}
