import Foundation
import PAX
import PAXSimulator
import PropertyBased
import Testing

@Suite("POSLink frame codec")
struct POSLinkCodecTests {
    static let a00: [UInt8] = [0x02, 0x41, 0x30, 0x30, 0x1C, 0x31, 0x2E, 0x32, 0x38, 0x03, 0x4B]

    @Test func initializeMatchesTheWorkedVector() throws {
        let frame = POSLinkRequest.initialize(version: "1.28")
        #expect(frame.bytes == Self.a00)
        #expect(Data(frame.bytes).base64EncodedString() == "AkEwMBwxLjI4A0s=")
    }

    @Test func creditSaleMatchesTheWorkedVector() throws {
        let sale = POSLinkRequest.Transaction(
            type: .sale, amountCents: 1234, reference: "1001", invoiceNumber: "INV42", extData: [("TOKENREQUEST", "1")])
        let expected: [UInt8] = [
            0x02, 0x54, 0x30, 0x30, 0x1C, 0x31, 0x2E, 0x32, 0x38, 0x1C, 0x30, 0x31, 0x1C, 0x31, 0x32, 0x33, 0x34, 0x1C, 0x1C, 0x31,
            0x30, 0x30, 0x31, 0x1F, 0x49, 0x4E, 0x56, 0x34, 0x32, 0x1C, 0x1C, 0x1C, 0x1C, 0x1C, 0x54, 0x4F, 0x4B, 0x45, 0x4E, 0x52,
            0x45, 0x51, 0x55, 0x45, 0x53, 0x54, 0x3D, 0x31, 0x03, 0x09,
        ]
        #expect(POSLinkRequest.credit(sale, version: "1.28").bytes == expected)
    }

    @Test func controlBytesBetweenFramesAreEvents() {
        var decoder = POSLinkDecoder()
        let events = decoder.feed([POSLinkControl.ack] + Self.a00 + [POSLinkControl.eot, POSLinkControl.nak])
        #expect(events == [.ack, .frame(POSLinkFrame(fields: ["A00", "1.28"])), .eot, .nak])
    }

    @Test func aFrameDripFedOneByteAtATimeDecodesOnce() {
        var decoder = POSLinkDecoder()
        var events: [POSLinkEvent] = []
        for byte in Self.a00 { events += decoder.feed([byte]) }
        #expect(events == [.frame(POSLinkFrame(fields: ["A00", "1.28"]))])
    }

    @Test func garbageAroundFramesIsSkipped() {
        var decoder = POSLinkDecoder()
        let noise: [UInt8] = [0x41, 0xFF, 0x00, 0x0D, 0x0A]
        let events = decoder.feed(noise + Self.a00 + noise + Self.a00)
        #expect(events.count == 2)
        #expect(decoder.skippedBytes == 10)
    }

    @Test func anLRCEqualToAControlByteIsStillTheChecksum() {
        for target in [POSLinkControl.stx, POSLinkControl.etx, POSLinkControl.eot, POSLinkControl.ack, POSLinkControl.nak, 0x00] {
            let frame = SimulatedTerminal.padded(POSLinkFrame(fields: ["0", "T01", "1.28", "000000", "OK"]), lrc: target)
            #expect(frame.bytes.last == target)
            var decoder = POSLinkDecoder()
            #expect(decoder.feed(frame.bytes + [POSLinkControl.eot]) == [.frame(frame), .eot])
        }
    }

    @Test func aBadLRCIsReportedAndTheStreamCarriesOn() {
        var corrupted = Self.a00
        corrupted[corrupted.count - 1] ^= 0x01
        var decoder = POSLinkDecoder()
        #expect(
            decoder.feed(corrupted + Self.a00) == [.corruptFrame(reason: "LRC mismatch"), .frame(POSLinkFrame(fields: ["A00", "1.28"]))])
    }

    @Test func oversizeInputIsBounded() {
        var decoder = POSLinkDecoder(maximumFrameLength: 64)
        let flood = [POSLinkControl.stx] + [UInt8](repeating: 0x41, count: 1000)
        #expect(decoder.feed(flood) == [.corruptFrame(reason: "frame longer than 64 bytes")])
        #expect(decoder.feed(Self.a00) == [.frame(POSLinkFrame(fields: ["A00", "1.28"]))])
    }

    @Test func missingTrailingFieldsReadAsEmpty() {
        let frame = POSLinkFrame(fields: ["0", "T01", "1.28", "000000", "OK", "00\u{1F}APPROVAL"])
        #expect(frame.value(5, 1) == "APPROVAL")
        #expect(frame.value(5, 5) == "")
        #expect(frame.value(9) == "")
        #expect(POSLinkFrame.group(["a", "", "", ""]) == "a")
    }

    // MARK: Properties

    @Test func randomBytesNeverCrashAndNeverYieldABadFrame() async {
        await propertyCheck(count: 3000, input: Gen<UInt8>.value(in: 0...255).array(of: 0...300)) { bytes in
            var decoder = POSLinkDecoder(maximumFrameLength: 128)
            for event in decoder.feed(bytes) {
                if case .frame(let frame) = event {
                    // Whatever was accepted re-encodes to a frame that is really in the input.
                    let encoded = frame.bytes
                    #expect(POSLinkFrame.lrc(of: encoded.dropFirst().dropLast()) == encoded.last)
                    #expect(bytes.indices.contains { Array(bytes[$0...].prefix(encoded.count)) == encoded })
                }
            }
        }
    }

    @Test func framesSurviveAnyChunkingAndTruncationNeverYieldsOne() async {
        let field = Gen.character(in: " "..."~").string(of: 0...12)
        await propertyCheck(count: 1000, input: field.array(of: 1...8), Gen.int(in: 1...16)) { fields, chunk in
            let frame = POSLinkFrame(fields: fields)
            let bytes = frame.bytes
            var decoder = POSLinkDecoder()
            var events: [POSLinkEvent] = []
            for start in stride(from: 0, to: bytes.count, by: chunk) {
                events += decoder.feed(bytes[start..<min(start + chunk, bytes.count)])
            }
            #expect(events == [.frame(frame)])
            var truncated = POSLinkDecoder()
            #expect(truncated.feed(bytes.dropLast()).isEmpty)
        }
    }
}
