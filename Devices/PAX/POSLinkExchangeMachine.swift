/// The ECR side of one POSLink request/reply exchange (poslink.md §1.3) as a state machine:
/// no I/O and no clock of its own. It is told what happened — an event decoded from the
/// terminal's bytes, a deadline that passed, a write that failed, the link closing — with the
/// time it happened, and answers what to do next. ``POSLinkLink`` carries the actions out on a
/// real transport; tests drive the machine directly on a test clock, so no protocol timeout is
/// ever waited for in real time.
///
/// Request: send, wait for ACK; on NAK or no ACK, send the identical frame again, three times in
/// all. If any copy went unanswered the terminal may hold the request with its ACK lost, so
/// giving up then is `unknown` (look it up), never `notDelivered`. Reply: ACK a good frame and
/// wait for EOT (a missing EOT is tolerated); NAK a corrupt one (the terminal re-sends), and
/// after three bad frames in a row send EOT and give up. A reply whose status is "1" says more
/// packets follow: each is ACKed and their fields appended.
public struct POSLinkExchangeMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public static var maximumSends: Int { 3 }
    public static var maximumBadReplies: Int { 3 }

    /// What happened since the last action.
    public enum Input: Equatable, Sendable {
        case event(POSLinkEvent)
        /// The wait's deadline passed with nothing received.
        case deadlinePassed
        /// The transport reported the link closed.
        case linkClosed
        /// The last write failed (only the request's own copies care).
        case writeFailed(String)
    }

    /// What to do next.
    public enum Action: Equatable, Sendable {
        /// Write `bytes`, then wait for input until the deadline.
        case send([UInt8], awaitUntil: Instant)
        /// Wait for input until the deadline.
        case awaitInput(until: Instant)
        /// Write `bytes` (a failure does not matter any more), then the exchange is over.
        case sendAndFinish([UInt8], POSLinkExchange)
        /// The exchange is over.
        case finish(POSLinkExchange)
    }

    enum State: Sendable {
        case idle
        /// Copy `copy` of the request is out, waiting for its ACK until `deadline`.
        case sending(copy: Int, deadline: Instant)
        /// The request was accepted; the reply is due by `deadline`.
        case receiving(deadline: Instant, badReplies: Int, collected: POSLinkFrame?)
        /// The reply is complete and ACKed; the terminal's EOT is due by `deadline`.
        case awaitingEOT(deadline: Instant, reply: POSLinkFrame)
        case finished
    }

    let request: POSLinkFrame
    let timeouts: POSLinkTimeouts
    let responseTimeout: Duration
    private(set) var state: State = .idle
    private var anyUnanswered = false
    private var lastProblem = "no answer"

    /// `responseTimeout` is how long the reply may take once the request is accepted (a sale
    /// waits for the customer; administrative calls answer at once).
    public init(request: POSLinkFrame, timeouts: POSLinkTimeouts, responseTimeout: Duration? = nil) {
        self.request = request
        self.timeouts = timeouts
        self.responseTimeout = responseTimeout ?? timeouts.response
    }

    /// Whether the terminal has taken the request (ACK, or a reply straight away): from here it
    /// works on it — for a sale, it asks for the card.
    public var isAccepted: Bool {
        switch state {
        case .receiving, .awaitingEOT: true
        case .idle, .sending, .finished: false
        }
    }

    /// The first action: send the request's first copy.
    public mutating func start(at now: Instant) -> Action {
        sendCopy(1, at: now)
    }

    /// The next action after `input`, which happened at `now`.
    public mutating func handle(_ input: Input, at now: Instant) -> Action {
        switch state {
        case .idle: return start(at: now)
        case .sending(let copy, let deadline): return whileSending(input, copy: copy, deadline: deadline, at: now)
        case .receiving(let deadline, let bad, let collected):
            return whileReceiving(input, deadline: deadline, badReplies: bad, collected: collected, at: now)
        case .awaitingEOT(let deadline, let reply):
            switch input {
            case .event(.eot), .deadlinePassed, .linkClosed: return finish(.reply(reply))
            case .event, .writeFailed: return .awaitInput(until: deadline)
            }
        case .finished: return .finish(.unknown("the exchange was already over"))
        }
    }

    private mutating func sendCopy(_ copy: Int, at now: Instant) -> Action {
        let deadline = now.advanced(by: timeouts.ack)
        state = .sending(copy: copy, deadline: deadline)
        return .send(request.bytes, awaitUntil: deadline)
    }

    private mutating func whileSending(_ input: Input, copy: Int, deadline: Instant, at now: Instant) -> Action {
        switch input {
        case .event(.ack): return accepted(at: now)
        case .event(.frame(let frame)):
            // The reply came without a separate ACK (seen on some links): accepted too.
            _ = accepted(at: now)
            return handle(.event(.frame(frame)), at: now)
        case .event(.nak):
            lastProblem = "the terminal answered NAK"
            return nextCopy(after: copy, at: now)
        case .event(.eot): return finish(.notDelivered("the terminal ended the exchange (EOT) without accepting it"))
        case .event(.corruptFrame): return .awaitInput(until: deadline)
        case .deadlinePassed:
            lastProblem = "no ACK within \(timeouts.ack)"
            anyUnanswered = true
            return nextCopy(after: copy, at: now)
        case .linkClosed:
            return finish(
                anyUnanswered
                    ? .unknown("the link closed after a copy went unanswered")
                    : .notDelivered("link closed before the terminal acknowledged"))
        case .writeFailed(let reason):
            return finish(
                anyUnanswered
                    ? .unknown("a copy went unanswered, then the link failed: \(reason)") : .notDelivered("cannot send: \(reason)"))
        }
    }

    private mutating func nextCopy(after copy: Int, at now: Instant) -> Action {
        guard copy >= Self.maximumSends else { return sendCopy(copy + 1, at: now) }
        let summary = "\(lastProblem), \(Self.maximumSends) sends"
        return finish(anyUnanswered ? .unknown("\(summary); the terminal may have the request") : .notDelivered(summary))
    }

    private mutating func accepted(at now: Instant) -> Action {
        let deadline = now.advanced(by: responseTimeout)
        state = .receiving(deadline: deadline, badReplies: 0, collected: nil)
        return .awaitInput(until: deadline)
    }

    private mutating func whileReceiving(
        _ input: Input, deadline: Instant, badReplies: Int, collected: POSLinkFrame?, at now: Instant
    ) -> Action {
        switch input {
        case .event(.frame(let frame)):
            let joined = collected.map { POSLinkFrame(fields: $0.fields + frame.fields.dropFirst(3)) } ?? frame
            if frame.fields.first == "1" {  // more packets follow
                state = .receiving(deadline: deadline, badReplies: 0, collected: joined)
                return .send([POSLinkControl.ack], awaitUntil: deadline)
            }
            var complete = joined
            if !complete.fields.isEmpty { complete.fields[0] = "0" }
            let eotDeadline = now.advanced(by: timeouts.eot)
            state = .awaitingEOT(deadline: eotDeadline, reply: complete)
            return .send([POSLinkControl.ack], awaitUntil: eotDeadline)
        case .event(.corruptFrame):
            let bad = badReplies + 1
            guard bad < Self.maximumBadReplies else {
                state = .finished
                return .sendAndFinish([POSLinkControl.eot], .unknown("the terminal's reply arrived garbled \(bad) times"))
            }
            state = .receiving(deadline: deadline, badReplies: bad, collected: collected)
            return .send([POSLinkControl.nak], awaitUntil: deadline)
        // A stray ACK or EOT (the answer to a cancel written on the same serial line) is not
        // the reply: keep waiting. Ending early would only turn a reply that may still come
        // into an unknown outcome sooner. A failed ACK or NAK changes nothing either.
        case .event(.ack), .event(.nak), .event(.eot), .writeFailed: return .awaitInput(until: deadline)
        case .deadlinePassed: return finish(.unknown("no reply within \(responseTimeout) after the terminal accepted the request"))
        case .linkClosed: return finish(.unknown("the link closed after the terminal accepted the request"))
        }
    }

    private mutating func finish(_ exchange: POSLinkExchange) -> Action {
        state = .finished
        return .finish(exchange)
    }
}
