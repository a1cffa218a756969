/// A misbehaviour the simulated terminal can show on one request, so every field failure in
/// the catalogue can be reproduced through the real driver code.
public enum SimulatorFault: String, Sendable, CaseIterable {
    /// The first copy of the reply has a wrong LRC; the copy sent after the NAK is right.
    case badLRC = "bad-lrc"
    /// Every copy of the request is answered NAK: it is never accepted.
    case nakStorm = "nak-storm"
    /// The request is ignored: no ACK, nothing processed.
    case noAck = "no-ack"
    /// ACK, the transaction is processed (and logged), and no reply ever comes.
    case ackThenSilence = "ack-then-silence"
    /// The reply is sent only after the client gave up (it disconnected or timed out).
    case lateReply = "late-reply"
    /// ACK, then the connection drops before anything is processed.
    case dropBeforeReply = "drop-before-reply"
    /// The reply is sent, then the connection drops without waiting for ACK or sending EOT.
    case dropAfterReply = "drop-after-reply"
    /// The reply is written one byte per write.
    case byteAtATime = "byte-at-a-time"
    /// ACK and reply leave in a single write.
    case coalesced = "coalesced"
    /// The reply is padded so its LRC is ETX (a control byte).
    case lrcControlByte = "lrc-control-byte"
    /// The terminal is busy: 100503 PED BUSY, nothing processed.
    case busy = "busy"
    /// The transaction waits until a cancel (A14) arrives, then answers ABORTED.
    case waitForCancel = "wait-for-cancel"
    /// The reply comes in two packets, the first with status "1" (more follows).
    case multiPacket = "multi-packet"
    /// The reply's account field carries a full (test) card number, as a misconfigured
    /// terminal might: the driver must keep only the last four.
    case echoFullPAN = "echo-full-pan"
    /// An R02 (report) reply claims more records than any terminal log holds: a listing
    /// that believed it would page for ever.
    case nonsenseRecordCount = "nonsense-record-count"
    /// An R02 reply carries the report's first record whatever record was asked for, as a
    /// terminal that ignores the record number would: a listing must notice the repeat.
    case repeatedRecord = "repeated-record"
    /// A sale is answered 100011 DUP TRANSACTION with the terminal's latest record, as a
    /// terminal that matched it to an earlier one would: nothing new is charged, and whether
    /// the customer already paid is for a person to check.
    case duplicateTransaction = "duplicate-transaction"
}
