import Foundation
import PAX
import PosPlusCore
import Terminal

/// The terminal side of POSLink's link layer over one byte stream (a pty master or an
/// accepted TCP connection), with the fault chosen for each request applied here.
final class SimulatorLink: @unchecked Sendable {
    let transport: any ByteTransport
    let terminal: SimulatedTerminal
    let settings: PAXSimulator.Settings
    let nextFault: () -> SimulatorFault?
    private var decoder = POSLinkDecoder()
    private var pending: [POSLinkEvent] = []
    /// Size of the last request, for wire-time accounting in benchmarks.
    private(set) var lastRequestBytes = 0

    init(
        transport: any ByteTransport, terminal: SimulatedTerminal, settings: PAXSimulator.Settings,
        nextFault: @escaping () -> SimulatorFault?
    ) {
        self.transport = transport
        self.terminal = terminal
        self.settings = settings
        self.nextFault = nextFault
    }

    /// Serves requests until the peer hangs up or `shouldStop` says so.
    func serve(shouldStop: () -> Bool) {
        while !shouldStop() {
            let event: POSLinkEvent?
            do { event = try nextEvent(until: .now + .milliseconds(100)) } catch { return }
            switch event {
            case .frame(let request)?:
                if !handle(request) { return }
            case .corruptFrame?:
                send([POSLinkControl.nak])
            case .ack?, .nak?, .eot?, nil:
                continue
            }
        }
    }

    /// One request. Returns false when the link must close.
    private func handle(_ request: POSLinkFrame) -> Bool {
        let isCancel = request.value(0) == POSLinkRequest.Command.cancel.rawValue
        let fault = isCancel ? nil : nextFault()
        switch fault {
        case .noAck?:
            return true
        case .nakStorm?:
            send([POSLinkControl.nak])
            for _ in 1..<POSLinkLink.maximumSends {
                guard case .frame? = try? nextEvent(until: .now + .seconds(10)) else { break }
                send([POSLinkControl.nak])
            }
            return true
        case .dropBeforeReply?:
            send([POSLinkControl.ack])
            return false
        default:
            break
        }
        if isCancel {
            _ = terminal.handle(request)
            send([POSLinkControl.ack, POSLinkControl.eot])
            return true
        }
        if fault != .coalesced { send([POSLinkControl.ack]) }
        if fault == .waitForCancel {
            return holdUntilCancelled(request)
        }
        if settings.processingDelay > .zero { Thread.sleep(forTimeInterval: settings.processingDelay.timeInterval) }
        lastRequestBytes = request.bytes.count
        guard var reply = terminal.handle(request, fault: fault) else { return true }
        switch fault {
        case .ackThenSilence?:
            return true  // processed and logged; this request simply never gets its reply
        case .lateReply?:
            _ = waitForHangUp(limit: settings.lateReplyAfter)
            try? transport.write(reply.bytes, deadline: .now + .seconds(1))
            return false
        case .lrcControlByte?:
            reply = SimulatedTerminal.padded(reply, lrc: POSLinkControl.etx)
        default:
            break
        }
        if fault == .multiPacket && reply.fields.count > 7 {
            // Header + first groups with status "1", then the rest after our ACK.
            let first = POSLinkFrame(fields: ["1"] + reply.fields[1..<7])
            write(first.bytes, oneByteAtATime: false)
            guard case .ack? = try? nextEvent(until: .now + .seconds(5)) else { return false }
            reply = POSLinkFrame(fields: ["0"] + reply.fields[1..<3] + reply.fields[7...])
        }
        var bytes = reply.bytes
        if fault == .badLRC { bytes[bytes.count - 1] ^= 0xFF }
        if fault == .coalesced { bytes = [POSLinkControl.ack] + bytes }
        write(bytes, oneByteAtATime: fault == .byteAtATime)
        if fault == .dropAfterReply { return false }
        return finishReply(reply)
    }

    /// After a reply: wait for ACK (re-send on NAK, three times at most), then send EOT.
    private func finishReply(_ reply: POSLinkFrame) -> Bool {
        var sends = 1
        while true {
            let event: POSLinkEvent?
            do { event = try nextEvent(until: .now + .seconds(5)) } catch { return false }
            switch event {
            case .ack?:
                send([POSLinkControl.eot])
                return true
            case .nak?:
                guard sends < POSLinkLink.maximumSends else { return true }
                sends += 1
                write(reply.bytes, oneByteAtATime: false)
            case .eot?, nil:
                return true
            case .frame(let next)?:
                return handle(next)
            case .corruptFrame?:
                continue
            }
        }
    }

    /// `waitForCancel`: hold the transaction, listening on this link for an A14 and watching
    /// for one that arrived on another link; then answer ABORTED.
    private func holdUntilCancelled(_ request: POSLinkFrame) -> Bool {
        terminal.clearCancel()
        terminal.didStartHolding()
        let limit = ContinuousClock.now + settings.cancelWaitLimit
        while ContinuousClock.now < limit && !terminal.takeCancel() {
            if case .frame(let frame)? = try? nextEvent(until: .now + .milliseconds(20)),
                frame.value(0) == POSLinkRequest.Command.cancel.rawValue
            {
                send([POSLinkControl.ack, POSLinkControl.eot])
                break
            }
        }
        let aborted = terminal.reply(to: request.value(0), version: request.value(1), code: "100002", text: "ABORTED")
        write(aborted.bytes, oneByteAtATime: false)
        return finishReply(aborted)
    }

    /// Reads until the peer hangs up (or `limit` passes); returns false (close the link).
    private func waitForHangUp(limit: Duration = .seconds(600)) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            do { _ = try transport.read(maximum: 1024, deadline: min(deadline, .now + .milliseconds(100))) } catch { return false }
        }
        return false
    }

    private func write(_ bytes: [UInt8], oneByteAtATime: Bool) {
        if oneByteAtATime || settings.baudRate != nil {
            // Each byte leaves at its slot on an absolute schedule (10 bits per byte at the
            // baud rate), so sleep overshoot never accumulates over a long frame.
            let perByte = settings.baudRate.map { Duration.seconds(10.0 / Double($0)) } ?? .zero
            let start = ContinuousClock.now
            for (index, byte) in bytes.enumerated() {
                try? transport.write([byte], deadline: .now + .seconds(2))
                let slotEnd = start + perByte * (index + 1)
                let wait = ContinuousClock.now.duration(to: slotEnd)
                if wait > .zero { Thread.sleep(forTimeInterval: wait.timeInterval) }
            }
        } else {
            try? transport.write(bytes, deadline: .now + .seconds(2))
        }
    }

    private func send(_ bytes: [UInt8]) { write(bytes, oneByteAtATime: false) }

    private func nextEvent(until deadline: ContinuousClock.Instant) throws(TransportError) -> POSLinkEvent? {
        while pending.isEmpty {
            let bytes = try transport.read(maximum: 4096, deadline: deadline)
            if bytes.isEmpty { return nil }
            pending = decoder.feed(bytes)
        }
        return pending.removeFirst()
    }
}
