// libFuzzer target for the POSLink frame decoder (`make fuzz`).
//
// Built directly from Devices/PAX/POSLinkFrame.swift and POSLinkDecoder.swift with
// `-sanitize=fuzzer,address`, so it needs nothing else from the package. For any input it
// checks what the decoder promises: no crash, no frame with a bad LRC, every frame really
// present in the input, and the same events whatever the chunking.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var whole = POSLinkDecoder(maximumFrameLength: 512)
    let events = whole.feed(bytes)

    for event in events {
        guard case .frame(let frame) = event else { continue }
        let encoded = frame.bytes
        precondition(POSLinkFrame.lrc(of: encoded.dropFirst().dropLast()) == encoded.last, "a frame with a bad LRC was accepted")
        precondition(
            bytes.indices.contains { bytes[$0...].starts(with: encoded) }, "a frame that is not in the input was produced")
    }

    // Byte by byte must give exactly the same events.
    var dripped = POSLinkDecoder(maximumFrameLength: 512)
    var dripEvents: [POSLinkEvent] = []
    for byte in bytes { dripEvents += dripped.feed([byte]) }
    precondition(dripEvents == events, "chunking changed what was decoded")
    return 0
}
