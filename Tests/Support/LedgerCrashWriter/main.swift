// ledger-crash-writer: a child process for the ledger crash test.
//
// Writes payments through the real ledger API in a loop, forever, and prints one line per
// payment *after* its last transaction committed:
//     committed <paymentID> <reference> <amountMinor>
// The test reads these lines, SIGKILLs this process at a moment of its choosing, reopens
// the ledger and checks that everything reported is there whole.
//
// Usage: ledger-crash-writer LEDGER_PATH SEED
import Foundation
import Ledger
import PosPlusCore
import TestSupport

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: ledger-crash-writer LEDGER_PATH SEED\n".utf8))
    exit(64)
}
var generator = SplitMix64(seed: seed)
let ledger = try Ledger.open(at: arguments[1], key: .forTests)
let card = try MaskedCard(brand: "VISA", last4: "4242")

for index in 0... {
    let amount = Money(minorUnits: Int64.random(in: 1...500_000, using: &generator), currency: .usd)
    let key = try IdempotencyKey("crash-\(String(seed, radix: 36))-\(index)")  // no long digit run a card screen could take
    let request = PaymentRequest(
        operation: .sale, amount: amount, invoiceID: "inv-\(index)", invoiceNumber: "\(1000 + index)", channel: "sim")
    let payment = try ledger.begin(request, idempotencyKey: key, operator: "crash-writer").payment
    let reference = PaymentReference.random(using: &generator)
    let attempt = try ledger.startAttempt(paymentID: payment.id, reference: reference, actor: "crash-writer")
    let job = NewOutboxJob(kind: "jobber.writeBack", dedupeKey: "writeback-\(reference)", payload: "{\"payment\":\(payment.id)}")
    _ = try ledger.finishAttempt(
        attempt.id,
        with: .approved(AttemptDetails(captured: amount, resultCode: "000000", authCode: "A\(index % 100_000)", card: card)),
        actor: "crash-writer", jobs: [job])
    FileHandle.standardOutput.write(Data("committed \(payment.id) \(reference) \(amount.minorUnits)\n".utf8))
}
