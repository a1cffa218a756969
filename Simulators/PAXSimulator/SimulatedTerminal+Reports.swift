import PAX

extension SimulatedTerminal {
    /// R02 filtered by ECR reference: the first matching record, or 100023 NOT FOUND.
    func report(_ request: POSLinkFrame, version: String) -> POSLinkFrame {
        let reference = request.value(8)
        return lock.withLock {
            let matches = records.filter { reference.isEmpty || $0.reference == reference }
            guard let record = matches.first else {
                return reply(to: "R02", version: version, code: "100023", text: "NOT FOUND")
            }
            let host = POSLinkFrame.group([record.hostCode, record.hostMessage, record.authCode, record.hostReference])
            let due = record.resultCode == "000002" ? String(record.requestedCents - record.approvedCents) : ""
            let account = POSLinkFrame.group(["************" + testCardNumber.suffix(4), "4", "1230", "", "", "", "01"])
            let trace = POSLinkFrame.group([String(record.recordNumber), record.reference, "20261122120000"])
            var ext = ["RESULTCODE=" + record.resultCode]
            if !record.token.isEmpty { ext.append("TOKEN=" + record.token) }
            if record.voided { ext.append("VOIDED=1") }
            return reply(
                to: "R02", version: version, code: "000000", text: "OK",
                groups: [
                    String(matches.count), String(record.recordNumber), host, "01", record.type, "",
                    POSLinkFrame.group([String(record.approvedCents), due]), account, trace, "", "", "", POSLinkFrame.group(ext),
                ])
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
                groups: [POSLinkFrame.group(["00", "BATCH \(closed) CLOSED"]), String(open.count), String(total), "20261122120000"])
        }
    }
}
