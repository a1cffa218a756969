import Foundation
import PAX

extension SimulatedTerminal {
    /// R02 Local Detail Report (poslink.md §1.10). Two ways to ask, as the driver does:
    /// - by ECR reference alone (in-doubt recovery): the first record with that reference in
    ///   the whole log, closed batches included, so a lookup after settlement still finds it;
    /// - by record number: record N (0 = the oldest) of the *open* batch, further narrowed by
    ///   a reference if one is given. Declined attempts and voids are records too.
    ///
    /// Either way the reply carries the number of matching records as TotalRecord and the
    /// record's place in the report as RecordNumber; a number past the end is 100023 NOT FOUND.
    func report(_ request: POSLinkFrame, version: String, fault: SimulatorFault? = nil) -> POSLinkFrame {
        let reference = request.value(8)
        let recordNumber = request.value(5)
        return lock.withLock {
            let matches: [Record]
            let index: Int
            if recordNumber.isEmpty {
                matches = records.filter { reference.isEmpty || $0.reference == reference }
                index = 0
            } else {
                guard recordNumber.count <= 4, recordNumber.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(recordNumber)
                else {
                    return reply(to: "R02", version: version, code: "100003", text: "FORMAT ERROR")
                }
                matches = records.filter { $0.batch == batch && (reference.isEmpty || $0.reference == reference) }
                index = number
            }
            guard index < matches.count else {
                return reply(to: "R02", version: version, code: "100023", text: "NOT FOUND")
            }
            let record = fault == .repeatedRecord ? matches[0] : matches[index]
            let total = fault == .nonsenseRecordCount ? "99999999" : String(matches.count)
            return reply(
                to: "R02", version: version, code: "000000", text: "OK", groups: [total, String(index)] + reportGroups(for: record))
        }
    }

    /// The groups of an R03 record after TotalRecord and RecordNumber: Host, EDCType,
    /// TransType, OrigTransType, Amount, Account, Trace, Cashier, Commercial, Check, ExtData.
    /// A check (T12) record has no card, so its Account group is empty.
    private func reportGroups(for record: Record) -> [String] {
        let host = POSLinkFrame.group([record.hostCode, record.hostMessage, record.authCode, record.hostReference])
        let due = record.resultCode == "000002" ? String(record.requestedCents - record.approvedCents) : ""
        let isCheck = record.command == POSLinkRequest.Command.check.rawValue
        let account = isCheck ? "" : POSLinkFrame.group(["************" + testCardNumber.suffix(4), "4", "1230", "", "", "", "01"])
        let trace = POSLinkFrame.group([String(record.recordNumber), record.reference, POSLinkMapping.timestamp(record.recordedAt)])
        var ext = ["RESULTCODE=" + record.resultCode]
        if !record.token.isEmpty { ext.append("TOKEN=" + record.token) }
        if record.voided { ext.append("VOIDED=1") }
        return [
            host, Self.edcType(command: record.command), record.type, "", POSLinkFrame.group([String(record.approvedCents), due]), account,
            trace, "", "", "", POSLinkFrame.group(ext),
        ]
    }

    /// EDC type of a record by the command that made it: "01" credit, "02" debit, "03" check.
    static func edcType(command: String) -> String {
        switch command {
        case POSLinkRequest.Command.debit.rawValue: return "02"
        case POSLinkRequest.Command.check.rawValue: return "03"
        default: return "01"
        }
    }

    /// B00: totals of approved, unvoided sales in the open batch; then a new batch begins.
    func closeBatch(version: String) -> POSLinkFrame {
        lock.withLock {
            // Money that settles: sales, captures of authorisations, returns (an open auth does not).
            let money = [POSLinkRequest.TransactionType.sale, .postAuth, .return].map(\.rawValue)
            let open = records.filter {
                $0.batch == batch && !$0.voided && money.contains($0.type) && ($0.resultCode == "000000" || $0.resultCode == "000002")
            }
            let sales = open.filter { $0.type != POSLinkRequest.TransactionType.return.rawValue }
            let refunds = open.filter { $0.type == POSLinkRequest.TransactionType.return.rawValue }
            let total = sales.reduce(Int64(0)) { $0 + $1.approvedCents } - refunds.reduce(Int64(0)) { $0 + $1.approvedCents }
            let closed = batch
            batch += 1
            return reply(
                to: "B00", version: version, code: "000000", text: "OK",
                groups: [
                    POSLinkFrame.group(["00", "BATCH \(closed) CLOSED"]), String(open.count), String(total),
                    POSLinkMapping.timestamp(Date()),
                ])
        }
    }
}
