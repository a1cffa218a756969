import Foundation

/// A receipt as plain text, 42 columns wide (a narrow printer's line, and readable in any mail
/// client), and as one short SMS.
public enum ReceiptText {
    public static let width = 42

    public static func render(_ receipt: Receipt, timeZone: TimeZone) -> String {
        var lines: [String] = [receipt.business.name]
        lines += receipt.business.address
        if let phone = receipt.business.phone { lines.append(phone) }
        lines += ["", receipt.kind.title, receipt.dateText(in: timeZone)]
        if let invoice = receipt.invoice {
            lines.append("Invoice #\(invoice.number)" + (invoice.subject.map { " — \($0)" } ?? ""))
            if !invoice.client.name.isEmpty { lines.append("Bill to: \(invoice.client.name)") }
            lines.append("")
            for item in invoice.lineItems {
                lines.append(item.name)
                if let description = item.description { lines.append("  \(description)") }
                let each = item.unitPrice.map { "\(item.quantity) × \($0.formatted)" } ?? "× \(item.quantity)"
                lines.append(row("  " + each, item.total.formatted))
            }
            lines.append(String(repeating: "-", count: width))
            lines.append(row("Subtotal", invoice.subtotal.formatted))
            if invoice.discount.isPositive { lines.append(row("Discount", "-" + invoice.discount.formatted)) }
            lines.append(row("Tax", invoice.tax.formatted))
            lines.append(row("Total", invoice.total.formatted))
            lines.append(row("Balance due", invoice.balance.formatted))
        } else if let quote = receipt.quoteNumber {
            lines.append("Deposit on quote #\(quote)")
        }
        lines.append("")
        for (label, value) in receipt.paymentRows { lines.append(row(label, value)) }
        lines += ["", "Thank you."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One SMS: who, what, how much, which card, the auth code. The itemized receipt is for
    /// email and print; a text stays within a few segments.
    public static func sms(_ receipt: Receipt) -> String {
        var text = "\(receipt.business.name): \(receipt.kind.title.lowercased())"
        if let invoice = receipt.invoice { text += " for invoice #\(invoice.number)" }
        text += ". \(receipt.amountLabel) \(receipt.amount.formatted)"
        if let card = receipt.card { text += " on \(card.display)" }
        if let authCode = receipt.authCode { text += ", auth \(authCode)" }
        text += ". Payment #\(receipt.paymentID)."
        if let invoice = receipt.invoice { text += " Balance due \(invoice.balance.formatted)." }
        return text + " Thank you."
    }

    /// The email's subject line.
    public static func subject(_ receipt: Receipt) -> String {
        var text = "\(receipt.kind.title) from \(receipt.business.name)"
        if let invoice = receipt.invoice { text += ": invoice #\(invoice.number)" }
        return text
    }

    /// `label` left, `value` right, at least one space between.
    public static func row(_ label: String, _ value: String) -> String {
        let gap = max(1, width - label.count - value.count)
        return label + String(repeating: " ", count: gap) + value
    }
}
