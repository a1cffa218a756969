import Bridge
import Foundation
import Ledger
import PosPlusCore
import Reconcile

/// How a reconcile run reads: the per-day totals side by side, then the differences; or every
/// item as JSON or CSV for a spreadsheet.
enum ReconcileOutput {
    static func text(_ report: ReconcileReport) -> String {
        var lines = [
            "Reconcile \(day(report.since)) to \(day(report.until)) (UTC); days in \(report.timeZone == "GMT" ? "UTC" : report.timeZone)",
            "",
        ]
        if report.totals.isEmpty {
            lines.append("No money moved in this window on any side read.")
        } else {
            var rows = [
                ["DAY", "CUR", "LEDGER GROSS", "REFUNDS", "NET", "STRIPE GROSS", "REFUNDS", "FEES", "NET", "TERMINALS", "JOBBER RECORDS"]
            ]
            for day in report.totals {
                let code = day.currency
                rows.append([
                    day.day, code, money(day.ledger.grossMinor, code), money(day.ledger.refundsMinor, code),
                    money(day.ledger.netMinor, code),
                    money(day.processor.grossMinor, code), money(day.processor.refundsMinor &+ day.processor.disputesMinor, code),
                    money(day.processor.feesMinor, code), money(day.processor.netMinor, code), money(day.terminals.grossMinor, code),
                    money(day.jobber.grossMinor, code),
                ])
            }
            lines.append(Formatting.table(rows))
        }
        if !report.payouts.isEmpty {
            var rows = [["PAYOUT", "STATUS", "ARRIVES", "CHARGES", "GROSS", "REFUNDS", "DISPUTES", "FEES", "NET", "PAID OUT"]]
            for payout in report.payouts {
                let code = payout.currency
                let figures = payout.figures
                rows.append([
                    payout.payout, payout.status, payout.arrival, String(figures.count), money(figures.grossMinor, code),
                    money(figures.refundsMinor, code), money(figures.disputesMinor, code), money(figures.feesMinor, code),
                    money(figures.netMinor, code), money(payout.amountMinor, code),
                ])
            }
            lines += ["", Formatting.table(rows)]
        }
        for note in report.notes { lines.append("Note: \(note)") }
        let counts = Dictionary(grouping: report.items, by: \.kind).mapValues(\.count)
        if !counts.isEmpty {
            lines.append("")
            lines.append(
                ReconcileClass.allCases.compactMap { kind in counts[kind].map { "\(kind.rawValue) \($0)" } }.joined(separator: " · "))
        }
        let review = report.items.filter { $0.kind != .matched }
        if !review.isEmpty {
            var rows = [["CLASS", "REFERENCE", "INVOICE", "DIFFERENCE", "ACTION", "EXPLANATION"]]
            for item in review {
                rows.append([
                    item.kind.rawValue, item.reference ?? "", item.invoiceNumber.map { "#\($0)" } ?? item.invoiceID ?? "",
                    item.difference?.description ?? "",
                    item.action.map { _ in "--apply" } ?? "review", item.explanation,
                ])
            }
            lines += ["", Formatting.table(rows)]
        }
        for applied in report.applied { lines.append("Applied: \(applied)") }
        lines.append("")
        let fixed = report.applied.isEmpty ? "" : " (\(report.applied.count) then fixed by --apply)"
        lines.append(
            "Stored: \(report.stored.opened) new, \(report.stored.stillOpen) still open\(fixed), \(report.stored.cleared) cleared. "
                + "`posplus reconcile list` shows what is open.")
        return lines.joined(separator: "\n")
    }

    static func json(_ report: ReconcileReport) throws -> String { try report.json() }

    /// One row per item: class, reference, invoice, difference in minor units, currency, action, explanation.
    static func csv(_ report: ReconcileReport) -> String {
        var out = "class,reference,invoice,difference_minor,currency,action,explanation\n"
        for item in report.items {
            let fields = [
                item.kind.rawValue, item.reference ?? "", item.invoiceID ?? "", item.difference.map { String($0.minorUnits) } ?? "",
                item.difference?.currency.code ?? "", item.action?.summary ?? "", item.explanation,
            ]
            out += fields.map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    static func detail(_ item: ReconcileItemRecord) -> String {
        var lines = [
            "Item \(item.id): \(item.kind) — \(item.explanation)",
            "Status: \(item.status.rawValue)" + (item.resolution.map { " as \($0.rawValue)" } ?? "")
                + (item.resolvedBy.map { " by \($0)" } ?? "") + (item.note.map { ": \($0)" } ?? ""),
            "First seen \(Formatting.timestamp(item.firstSeenAt)), last seen \(Formatting.timestamp(item.lastSeenAt))",
        ]
        if let reference = item.reference { lines.append("Reference: \(reference)") }
        if let invoice = item.invoiceID { lines.append("Invoice: \(invoice)") }
        if item.differenceMinor != nil { lines.append("Difference: \(difference(item))") }
        if let action = item.action { lines.append("--apply would: \(action)") }
        if let decoded = try? ReconcileJSON.decode(ReconcileItem.self, from: item.detail) {
            var rows = [["SIDE", "RECORD", "AMOUNT", "DATE", "NOTE"]]
            for record in decoded.records {
                rows.append([
                    record.side.rawValue, record.id, record.amount?.description ?? "", record.date.map(Formatting.timestamp) ?? "",
                    record.detail ?? "",
                ])
            }
            lines += ["", Formatting.table(rows)]
        }
        return lines.joined(separator: "\n")
    }

    static func difference(_ item: ReconcileItemRecord) -> String {
        guard let minor = item.differenceMinor, let currency = item.currency else { return "" }
        return Money(minorUnits: minor, currency: currency).description
    }

    private static func money(_ minor: Int64, _ code: String) -> String {
        guard let currency = try? Currency(code: code) else { return String(minor) }
        return Money(minorUnits: minor, currency: currency).formatted
    }

    private static func day(_ date: Date) -> String { String(Formatting.timestamp(date).prefix(10)) }

    /// RFC 4180: quoted when it holds a comma, quote or line break; a leading = + - @ is
    /// defused so a spreadsheet does not run it as a formula.
    private static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first), Int64(value) == nil { value = "'" + value }
        guard value.contains(where: { ",\"\n\r".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
