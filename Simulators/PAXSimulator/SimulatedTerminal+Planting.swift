import Foundation
import PAX

extension SimulatedTerminal {
    /// Puts an approved credit sale straight into the open batch, as if it had been rung up:
    /// for benchmarks and large tests that need thousands of records without a POSLink exchange
    /// for each. Returns its record number.
    @discardableResult
    public func plantApprovedSale(reference: String, cents: Int64, at time: Date = Date()) -> Int {
        lock.withLock {
            serial += 1
            var record = Record(
                recordNumber: nextRecordNumber, reference: reference, command: POSLinkRequest.Command.credit.rawValue,
                type: POSLinkRequest.TransactionType.sale.rawValue, requestedCents: cents, approvedCents: cents, resultCode: "000000",
                hostCode: "00", hostMessage: "APPROVAL", authCode: String(format: "A%05d", serial % 100_000),
                hostReference: String(format: "SIMH%08d", serial), token: "", batch: batch, invoiceNumber: "")
            record.recordedAt = time
            nextRecordNumber += 1
            records.append(record)
            return record.recordNumber
        }
    }
}
