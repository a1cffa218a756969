import PAX
import PosPlusCore
import TestSupport
import Testing

/// The link layer's rules on a test clock: every timeout is a step of the test's own time, so
/// nothing here waits, and each fault of the catalogue is an exact sequence of inputs.
@Suite("POSLink link layer: the exchange state machine")
struct POSLinkExchangeMachineTests {
    typealias Machine = POSLinkExchangeMachine<TestInstant>

    let timeouts = POSLinkTimeouts(ack: .seconds(5), response: .seconds(120), eot: .seconds(2))
    let request = POSLinkFrame(fields: ["T00", "1.28", "01", "1500", "", "P0000000000000001"])
    let reply = POSLinkFrame(fields: ["0", "T01", "1.28", "000000", "OK"])
    let zero = TestInstant(offset: .zero)

    func at(_ seconds: Int) -> TestInstant { TestInstant(offset: .seconds(seconds)) }

    @Test func aReplyIsACKedAndTheExchangeEndsAtTheTerminalsEOT() {
        var machine = Machine(request: request, timeouts: timeouts)
        #expect(machine.start(at: zero) == .send(request.bytes, awaitUntil: at(5)))
        #expect(machine.handle(.event(.ack), at: at(1)) == .awaitInput(until: at(121)))
        #expect(machine.handle(.event(.frame(reply)), at: at(30)) == .send([POSLinkControl.ack], awaitUntil: at(32)))
        #expect(machine.handle(.event(.eot), at: at(31)) == .finish(.reply(reply)))
    }

    @Test func aMissingEOTIsTolerated() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        _ = machine.handle(.event(.ack), at: zero)
        _ = machine.handle(.event(.frame(reply)), at: at(10))
        #expect(machine.handle(.deadlinePassed, at: at(12)) == .finish(.reply(reply)))
    }

    @Test func noACKToAnyOfThreeCopiesIsUnknownNotUndelivered() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        #expect(machine.handle(.deadlinePassed, at: at(5)) == .send(request.bytes, awaitUntil: at(10)))
        #expect(machine.handle(.deadlinePassed, at: at(10)) == .send(request.bytes, awaitUntil: at(15)))
        guard case .finish(.unknown(let reason)) = machine.handle(.deadlinePassed, at: at(15)) else {
            Issue.record("unanswered copies may have reached the terminal")
            return
        }
        #expect(reason.contains("3 sends") && reason.contains("may have the request"))
    }

    @Test func threeNAKsMeanNotDelivered() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        #expect(machine.handle(.event(.nak), at: at(1)) == .send(request.bytes, awaitUntil: at(6)))
        #expect(machine.handle(.event(.nak), at: at(2)) == .send(request.bytes, awaitUntil: at(7)))
        #expect(machine.handle(.event(.nak), at: at(3)) == .finish(.notDelivered("the terminal answered NAK, 3 sends")))
    }

    @Test func anACKThenSilenceIsUnknownAtTheResponseDeadline() {
        var machine = Machine(request: request, timeouts: timeouts, responseTimeout: .seconds(60))
        _ = machine.start(at: zero)
        #expect(machine.handle(.event(.ack), at: at(1)) == .awaitInput(until: at(61)))
        #expect(machine.handle(.event(.eot), at: at(20)) == .awaitInput(until: at(61)), "a stray EOT is not the reply")
        guard case .finish(.unknown) = machine.handle(.deadlinePassed, at: at(61)) else {
            Issue.record("accepted and unanswered is unknown")
            return
        }
    }

    @Test func aGarbledReplyIsNAKedAndThreeInARowEndTheExchange() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        _ = machine.handle(.event(.ack), at: zero)
        #expect(machine.handle(.event(.corruptFrame(reason: "LRC")), at: at(3)) == .send([POSLinkControl.nak], awaitUntil: at(120)))
        #expect(machine.handle(.event(.corruptFrame(reason: "LRC")), at: at(4)) == .send([POSLinkControl.nak], awaitUntil: at(120)))
        guard case .sendAndFinish([POSLinkControl.eot], .unknown) = machine.handle(.event(.corruptFrame(reason: "LRC")), at: at(5)) else {
            Issue.record("three garbled replies end with EOT, outcome unknown")
            return
        }
    }

    @Test func aReplyWithoutASeparateACKIsAccepted() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        #expect(machine.handle(.event(.frame(reply)), at: at(1)) == .send([POSLinkControl.ack], awaitUntil: at(3)))
    }

    @Test func packetsMarkedMoreFollowAreJoined() {
        var machine = Machine(request: request, timeouts: timeouts)
        _ = machine.start(at: zero)
        _ = machine.handle(.event(.ack), at: zero)
        let first = POSLinkFrame(fields: ["1", "T01", "1.28", "000000", "OK"])
        let second = POSLinkFrame(fields: ["0", "T01", "1.28", "MORE"])
        #expect(machine.handle(.event(.frame(first)), at: at(2)) == .send([POSLinkControl.ack], awaitUntil: at(120)))
        _ = machine.handle(.event(.frame(second)), at: at(3))
        #expect(
            machine.handle(.event(.eot), at: at(4)) == .finish(.reply(POSLinkFrame(fields: ["0", "T01", "1.28", "000000", "OK", "MORE"]))))
    }

    @Test func aFailedWriteIsNotDeliveredUnlessACopyWentUnanswered() {
        var first = Machine(request: request, timeouts: timeouts)
        _ = first.start(at: zero)
        #expect(first.handle(.writeFailed("EPIPE"), at: zero) == .finish(.notDelivered("cannot send: EPIPE")))

        var later = Machine(request: request, timeouts: timeouts)
        _ = later.start(at: zero)
        _ = later.handle(.deadlinePassed, at: at(5))
        guard case .finish(.unknown) = later.handle(.writeFailed("EPIPE"), at: at(5)) else {
            Issue.record("the unanswered first copy may have arrived")
            return
        }
        var closed = Machine(request: request, timeouts: timeouts)
        _ = closed.start(at: zero)
        #expect(
            closed.handle(.event(.eot), at: at(1)) == .finish(.notDelivered("the terminal ended the exchange (EOT) without accepting it")))
    }
}
