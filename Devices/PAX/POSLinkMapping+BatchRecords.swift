import Foundation
import PosPlusCore
import Terminal

/// R03 replies read as records of the open batch (poslink.md §1.10). Everything here is
/// untrusted text from the terminal: each field is checked and a bad one is an error naming
/// it, so one garbled record fails the listing instead of turning into a wrong amount.
extension POSLinkMapping {
    /// The most records one report can hold: a terminal's log numbers its records 1–9999
    /// (normal log, then the store-and-forward ranges; POSLink2.xml `TraceRsp.RefNum`, §1.8).
    /// A larger count is nonsense, and paging through it would never end in practice.
    static let maximumReportRecords = 9_999

    /// One R03 reply of a listing: the report's total and the record it carries.
    struct BatchPage: Equatable {
        var totalRecords: Int
        var record: TerminalBatchRecord
    }

    /// Reads the total of an R03 reply: digits only, 0 to ``maximumReportRecords``.
    static func totalRecords(_ response: POSLinkResponse) throws(POSLinkParseError) -> Int {
        let text = response.frame.value(POSLinkResponse.ReportField.totalRecords)
        guard !text.isEmpty, text.count <= 4, text.allSatisfy(\.isASCIIDigit), let total = Int(text), total <= maximumReportRecords
        else {
            throw .badField("TotalRecord", value: text, expected: "a record count from 0 to \(maximumReportRecords)")
        }
        return total
    }

    /// Reads an approved R03 reply as one batch record. Amounts carry no currency on the wire:
    /// they are the business's (`currency`); the time stamp is read in `timeZone`.
    static func batchPage(from response: POSLinkResponse, currency: Currency, timeZone: TimeZone) throws(POSLinkParseError)
        -> BatchPage
    {
        let frame = response.frame
        let field = POSLinkResponse.ReportField.self
        let total = try totalRecords(response)
        let number = frame.value(field.trace, 0)
        guard !number.isEmpty, number.count <= 9, number.allSatisfy(\.isASCIIDigit) else {
            throw .badField("RefNum", value: number, expected: "the terminal's record number")
        }
        let approvedAmount = try amount(frame.value(field.amount, 0), named: "ApprovedAmount", currency: currency)
        let due = try amount(frame.value(field.amount, 1), named: "AmountDue", currency: currency)
        let resultCode = recordResultCode(frame)
        let outcome = POSLinkResultCode.outcome(
            code: resultCode, text: frame.value(field.host, 1), hostCode: frame.value(field.host, 0), amountDue: due, currency: currency)
        let extData = response.extData(field.extData)
        let record = TerminalBatchRecord(
            terminalRecordNumber: number,
            reference: try? PaymentReference(frame.value(field.trace, 1)),
            kind: batchKind(transactionType: frame.value(field.transactionType), edcType: frame.value(field.edcType)),
            approved: outcome.moneyMoved,
            approvedAmount: outcome.moneyMoved ? (approvedAmount ?? .zero(currency)) : .zero(currency),
            amountDue: due.flatMap { $0.isPositive ? $0 : nil },
            voided: extData["VOIDED"] == "1",
            recordedAt: try recordTime(frame.value(field.trace, 2), timeZone: timeZone),
            card: card(account: frame.value(field.account, 0), cardType: frame.value(field.account, 6)),
            authCode: nonEmptyText(frame.value(field.host, 2)),
            hostReference: nonEmptyText(frame.value(field.host, 3)),
            resultCode: resultCode)
        return BatchPage(totalRecords: total, record: record)
    }

    /// An amount field of a report: unsigned cents, or absent. Named, because "not an amount"
    /// alone does not tell a person which of a record's amounts the terminal garbled.
    static func amount(_ text: String, named name: String, currency: Currency) throws(POSLinkParseError) -> Money? {
        do { return try cents(text, currency: currency) } catch {
            throw .badField(name, value: text, expected: "an amount in cents")
        }
    }

    /// The record's type in the payment path's words. EDC types (POSLink `ReportRequest`):
    /// "01" credit, "02" debit, "03" check; a sale on a check is a bank debit.
    static func batchKind(transactionType: String, edcType: String) -> TerminalBatchRecord.Kind {
        switch transactionType {
        case "01": return edcType == "03" ? .achDebit : edcType == "02" ? .debitSale : .sale
        case "02": return .refund
        case "03": return .authorize
        case "04": return .capture
        case "16", "17", "18", "19", "20", "21", "22": return .void
        case "24": return .verifyCard
        case "32": return .tokenize
        default: return .other(String(transactionType.prefix(8)))
        }
    }

    /// `YYYYMMDDhhmmss` from the Trace group, or nil when the terminal gives none. A stamp
    /// that is there but not a real time is an error: a record placed on the wrong day is
    /// reconciled against the wrong day.
    static func recordTime(_ text: String, timeZone: TimeZone) throws(POSLinkParseError) -> Date? {
        guard !text.isEmpty else { return nil }
        let bad = POSLinkParseError.badField("TimeStamp", value: text, expected: "a time as YYYYMMDDhhmmss")
        guard text.count == 14, text.allSatisfy(\.isASCIIDigit) else { throw bad }
        let digits = Array(text)
        func part(_ start: Int, _ length: Int) -> Int { Int(String(digits[start..<start + length])) ?? -1 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(
            year: part(0, 4), month: part(4, 2), day: part(6, 2), hour: part(8, 2), minute: part(10, 2), second: part(12, 2))
        // Calendar rolls 20261340 over into next year; a round trip refuses what is not a real time.
        guard let date = calendar.date(from: parts) else { throw bad }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day, back.hour == parts.hour,
            back.minute == parts.minute, back.second == parts.second
        else { throw bad }
        return date
    }

    private static func nonEmptyText(_ text: String) -> String? { text.isEmpty ? nil : text }
}
