import Foundation
import PosPlusCore
import Terminal

extension PAXDriver {
    /// Lists the open batch with R02, one record per exchange: ask for record 0, read the
    /// report's total from the reply, then ask for 1, 2, … until every record is read
    /// (poslink.md §1.10). An empty batch answers NOT FOUND (100023) or a total of 0.
    ///
    /// The loop is bounded by what the terminal said first, and that is checked: a total
    /// beyond what a terminal log holds, a total that changes between pages (the batch moved
    /// under the listing — list again), a record that comes back twice, or NOT FOUND before
    /// the total is reached all end the listing with an error, never a partial list and never
    /// a loop that runs on. Time stamps are read as UTC, the zone posplus stamps B00 in.
    public func batchRecords() async throws -> [TerminalBatchRecord] {
        var records: [TerminalBatchRecord] = []
        var seen: Set<String> = []
        var expected: Int?
        var index = 0
        while index < (expected ?? 1) {
            let response = try await administrative(
                POSLinkRequest.localDetailReport(recordNumber: index, version: protocolVersion), answering: .localDetailReport)
            if response.resultCode == "100023", index == 0 { return [] }
            guard response.resultCode == "000000" else {
                let of = expected.map { " of \($0)" } ?? ""
                throw TerminalError.failed("batch listing, record \(index)\(of): \(response.resultText) (\(response.resultCode))")
            }
            let page: POSLinkMapping.BatchPage
            do {
                if index == 0, try POSLinkMapping.totalRecords(response) == 0 { return [] }
                page = try POSLinkMapping.batchPage(from: response, currency: currency, timeZone: Self.terminalTimeZone)
            } catch {
                throw TerminalError.malformedReply("batch listing, record \(index): \(error)")
            }
            if let expected, page.totalRecords != expected {
                throw TerminalError.failed(
                    "the batch changed while it was being listed (\(expected) records, then \(page.totalRecords)); list it again")
            }
            guard seen.insert(page.record.terminalRecordNumber).inserted else {
                throw TerminalError.malformedReply(
                    "batch listing: asked for record \(index), the terminal repeated its record \(page.record.terminalRecordNumber)")
            }
            expected = page.totalRecords
            records.append(page.record)
            index += 1
        }
        logger.info("batch listed", metadata: ["records": "\(records.count)"])
        return records
    }

    /// The zone a terminal's time stamps are read in (see ``batchRecords()``).
    static let terminalTimeZone = TimeZone(secondsFromGMT: 0) ?? .current
}
