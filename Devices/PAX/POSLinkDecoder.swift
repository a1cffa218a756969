/// What a POSLink byte stream carries, one event at a time.
public enum POSLinkEvent: Equatable, Sendable {
    case ack
    case nak
    case eot
    case frame(POSLinkFrame)
    /// A frame whose LRC did not match, or that was too long: the link layer answers NAK.
    case corruptFrame(reason: String)
}

/// Splits a terminal's byte stream into ``POSLinkEvent``s, however the bytes are chunked.
///
/// A state machine over single bytes, so one frame may arrive in many reads and several
/// frames (or an ACK and a frame) in one. Outside a frame, ACK, NAK and EOT are events and
/// any other byte is line noise, skipped. Inside a frame, a new STX restarts it (the
/// earlier start was noise). The byte after ETX is always the LRC, whatever its value.
/// A frame longer than ``maximumFrameLength`` is dropped as corrupt, so a stream of garbage
/// cannot grow memory without bound.
public struct POSLinkDecoder: Sendable {
    public var maximumFrameLength: Int
    private var state: State = .idle
    private var body: [UInt8] = []
    /// Bytes of line noise skipped so far (for diagnostics).
    public private(set) var skippedBytes = 0

    private enum State: Sendable {
        case idle
        case inFrame
        case awaitingLRC
    }

    public init(maximumFrameLength: Int = 8192) {
        self.maximumFrameLength = maximumFrameLength
    }

    /// Feeds bytes and returns every event they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [POSLinkEvent] {
        var events: [POSLinkEvent] = []
        for byte in bytes {
            if let event = feed(byte) { events.append(event) }
        }
        return events
    }

    /// Whether a frame has started and not finished: the reader must keep waiting.
    public var isInsideFrame: Bool {
        if case .idle = state { return false }
        return true
    }

    private mutating func feed(_ byte: UInt8) -> POSLinkEvent? {
        switch state {
        case .idle:
            switch byte {
            case POSLinkControl.stx:
                state = .inFrame
                body.removeAll(keepingCapacity: true)
            case POSLinkControl.ack: return .ack
            case POSLinkControl.nak: return .nak
            case POSLinkControl.eot: return .eot
            default: skippedBytes += 1
            }
        case .inFrame:
            switch byte {
            case POSLinkControl.stx:
                skippedBytes += body.count + 1
                body.removeAll(keepingCapacity: true)
            case POSLinkControl.etx:
                body.append(byte)
                state = .awaitingLRC
            default:
                body.append(byte)
                if body.count > maximumFrameLength {
                    state = .idle
                    body.removeAll()
                    return .corruptFrame(reason: "frame longer than \(maximumFrameLength) bytes")
                }
            }
        case .awaitingLRC:
            state = .idle
            guard POSLinkFrame.lrc(of: body) == byte else {
                return .corruptFrame(reason: "LRC mismatch")
            }
            let text = body.dropLast()  // ETX
            guard text.allSatisfy({ $0 >= 0x1C && $0 < 0x7F }) else {
                return .corruptFrame(reason: "control or non-ASCII byte inside the frame")
            }
            let fields = text.split(separator: POSLinkControl.fs, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            return .frame(POSLinkFrame(fields: fields))
        }
        return nil
    }
}
