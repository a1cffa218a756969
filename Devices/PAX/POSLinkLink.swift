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

/// The ECR side of POSLink's link layer (poslink.md §1.3), over any ``ByteTransport``.
///
/// Request: send, wait for ACK; on NAK or no ACK, send the identical frame again, three
/// times in all. Reply: ACK a good frame and wait for EOT; NAK a corrupt one (the terminal
/// re-sends), and after three bad frames in a row send EOT and give up. A reply whose status
/// is "1" says more packets follow: each is ACKed and their fields appended.
public struct POSLinkLink {
    public static let maximumSends = 3
    public static let maximumBadReplies = 3

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
    public mutating func exchange(_ request: POSLinkFrame, responseTimeout: Duration? = nil) -> POSLinkExchange {
        var early: POSLinkFrame?
        switch sendUntilAccepted(request) {
        case .accepted: break
        case .acceptedWithReply(let frame): early = frame
        case .refused(let reason): return .notDelivered(reason)
        case .unanswered(let reason): return .unknown(reason)
        }
        return receiveReply(firstFrame: early, timeout: responseTimeout ?? timeouts.response)
    }

    private enum SendResult {
        case accepted
        /// The reply came without a separate ACK (seen on some links): accepted too.
        case acceptedWithReply(POSLinkFrame)
        /// Every copy was refused (NAK, EOT) or could not be written: nothing was accepted.
        case refused(String)
        /// At least one copy went unanswered: the terminal may hold it with its ACK lost, so
        /// the outcome must be looked up rather than called "not delivered".
        case unanswered(String)
    }

    private mutating func sendUntilAccepted(_ request: POSLinkFrame) -> SendResult {
        var lastProblem = "no answer"
        var anyUnanswered = false
        for attempt in 1...Self.maximumSends {
            do {
                try transport.write(request.bytes, deadline: .now + timeouts.ack)
            } catch {
                if attempt == 1 || !anyUnanswered { return .refused("cannot send: \(error)") }
                return .unanswered("a copy went unanswered, then the link failed: \(error)")
            }
            let deadline = ContinuousClock.now + timeouts.ack
            waiting: while true {
                let event: POSLinkEvent?
                do { event = try nextEvent(until: deadline) } catch {
                    return anyUnanswered
                        ? .unanswered("the link closed after a copy went unanswered")
                        : .refused("link closed before the terminal acknowledged")
                }
                switch event {
                case .ack?: return .accepted
                case .frame(let frame)?: return .acceptedWithReply(frame)
                case .nak?:
                    lastProblem = "the terminal answered NAK"
                    break waiting
                case .eot?:
                    return .refused("the terminal ended the exchange (EOT) without accepting it")
                case .corruptFrame?:
                    continue
                case nil:
                    lastProblem = "no ACK within \(timeouts.ack)"
                    anyUnanswered = true
                    break waiting
                }
            }
        }
        let summary = "\(lastProblem), \(Self.maximumSends) sends"
        return anyUnanswered ? .unanswered("\(summary); the terminal may have the request") : .refused(summary)
    }

    private mutating func receiveReply(firstFrame: POSLinkFrame?, timeout: Duration) -> POSLinkExchange {
        let deadline = ContinuousClock.now + timeout
        var badReplies = 0
        var collected: POSLinkFrame?
        var next = firstFrame
        while true {
            if next == nil {
                let event: POSLinkEvent?
                do { event = try nextEvent(until: deadline) } catch {
                    return .unknown("the link closed after the terminal accepted the request")
                }
                switch event {
                case .frame(let frame)?: next = frame
                case .corruptFrame?:
                    badReplies += 1
                    if badReplies >= Self.maximumBadReplies {
                        send([POSLinkControl.eot])
                        return .unknown("the terminal's reply arrived garbled \(badReplies) times")
                    }
                    send([POSLinkControl.nak])
                    continue
                // A stray ACK or EOT (the answer to a cancel written on the same serial line)
                // is not the reply: keep waiting. Ending early would only turn a reply that may
                // still come into an unknown outcome sooner.
                case .ack?, .nak?, .eot?: continue
                case nil: return .unknown("no reply within \(timeout) after the terminal accepted the request")
                }
            }
            guard let frame = next else { continue }
            next = nil
            badReplies = 0
            send([POSLinkControl.ack])
            collected = collected.map { POSLinkFrame(fields: $0.fields + frame.fields.dropFirst(3)) } ?? frame
            if frame.fields.first == "1" { continue }  // more packets follow
            awaitEOT()
            var complete = collected!
            if !complete.fields.isEmpty { complete.fields[0] = "0" }
            return .reply(complete)
        }
    }

    /// Waits briefly for the terminal's EOT. A terminal that skips it is tolerated.
    private mutating func awaitEOT() {
        let deadline = ContinuousClock.now + timeouts.eot
        while let event = try? nextEvent(until: deadline) {
            if event == .eot { return }
        }
    }

    private func send(_ bytes: [UInt8]) {
        try? transport.write(bytes, deadline: .now + timeouts.ack)
    }

    /// The next event, or nil when the deadline passes. Throws when the link closed.
    private mutating func nextEvent(until deadline: ContinuousClock.Instant) throws(TransportError) -> POSLinkEvent? {
        while pending.isEmpty {
            let bytes = try transport.read(maximum: 4096, deadline: deadline)
            if bytes.isEmpty { return nil }
            pending = decoder.feed(bytes)
        }
        return pending.removeFirst()
    }
}
