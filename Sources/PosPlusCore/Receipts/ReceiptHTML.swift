import Foundation

/// A receipt as one self-contained HTML page (inline styles, no scripts, nothing fetched),
/// ready to print: every value from Jobber, the terminal or config is escaped.
public enum ReceiptHTML {
    public static func render(_ receipt: Receipt, timeZone: TimeZone) -> String {
        var body = "<header><h1>\(escape(receipt.business.name))</h1>"
        for line in receipt.business.address { body += "<p>\(escape(line))</p>" }
        if let phone = receipt.business.phone { body += "<p>\(escape(phone))</p>" }
        body += "</header><h2>\(escape(receipt.kind.title))</h2><p class=\"date\">\(escape(receipt.dateText(in: timeZone)))</p>"
        if let invoice = receipt.invoice {
            body += "<p>Invoice #\(escape(invoice.number))" + (invoice.subject.map { " — \(escape($0))" } ?? "") + "</p>"
            if !invoice.client.name.isEmpty { body += "<p>Bill to: \(escape(invoice.client.name))</p>" }
            body += "<table class=\"items\"><thead><tr><th>Item</th><th>Qty</th><th>Unit</th><th>Amount</th></tr></thead><tbody>"
            for item in invoice.lineItems {
                let name = escape(item.name) + (item.description.map { "<br><small>\(escape($0))</small>" } ?? "")
                body += "<tr><td>\(name)</td><td>\(escape(item.quantity))</td>"
                body += "<td>\(escape(item.unitPrice?.formatted ?? ""))</td><td>\(escape(item.total.formatted))</td></tr>"
            }
            body += "</tbody><tfoot>"
            var totals = [("Subtotal", invoice.subtotal.formatted)]
            if invoice.discount.isPositive { totals.append(("Discount", "-" + invoice.discount.formatted)) }
            totals += [("Tax", invoice.tax.formatted), ("Total", invoice.total.formatted), ("Balance due", invoice.balance.formatted)]
            for (label, value) in totals { body += "<tr><th colspan=\"3\">\(escape(label))</th><td>\(escape(value))</td></tr>" }
            body += "</tfoot></table>"
        } else if let quote = receipt.quoteNumber {
            body += "<p>Deposit on quote #\(escape(quote))</p>"
        }
        body += "<table class=\"payment\"><tbody>"
        for (label, value) in receipt.paymentRows { body += "<tr><th>\(escape(label))</th><td>\(escape(value))</td></tr>" }
        body += "</tbody></table><p>Thank you.</p>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(receipt.kind.title)) #\(receipt.paymentID)</title>
            <style>\(style)</style></head>
            <body><main class="receipt">\(body)</main></body></html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:1rem;color:#111}.receipt{max-width:32rem}\
        h1{font-size:1.3rem;margin:0}h2{font-size:1.1rem}p{margin:.2rem 0}table{width:100%;border-collapse:collapse;margin:.8rem 0}\
        th,td{padding:.2rem .3rem;text-align:left}td:last-child{text-align:right}.items thead th{border-bottom:1px solid #999}\
        .items tfoot th{text-align:right;font-weight:normal}.items tfoot tr:first-child>*{border-top:1px solid #999}\
        @media print{body{margin:0}.receipt{max-width:none}}
        """

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
