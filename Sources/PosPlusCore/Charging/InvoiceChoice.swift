import Foundation

/// Which invoice a charge is for, when staff start from a client rather than an invoice.
///
/// A client with one open invoice is unambiguous. With several, charging "the client" could
/// pay the wrong one, so the invoice must be named; the refusal lists them to choose from.
public enum InvoiceChoice {
    /// The invoice to charge among `openInvoices` (payable ones only), or a refusal.
    public static func choose(among openInvoices: [InvoiceSnapshot], named number: String?, clientName: String) throws(InvoiceChoiceError)
        -> InvoiceSnapshot
    {
        let payable = openInvoices.filter(\.status.isPayable)
        if let number {
            guard let named = openInvoices.first(where: { $0.number == number }) else {
                throw .notFound(number: number, clientName: clientName, open: payable.map(Self.line))
            }
            return named
        }
        switch payable.count {
        case 0: throw .nothingOpen(clientName: clientName)
        case 1: return payable[0]
        default: throw .severalOpen(clientName: clientName, open: payable.map(Self.line))
        }
    }

    static func line(_ invoice: InvoiceSnapshot) -> String {
        "#\(invoice.number) (\(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " ")), \(invoice.balance.formatted) due)"
    }
}

/// Why no single invoice could be chosen.
public enum InvoiceChoiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case severalOpen(clientName: String, open: [String])
    case nothingOpen(clientName: String)
    case notFound(number: String, clientName: String, open: [String])

    public var description: String {
        switch self {
        case .severalOpen(let name, let open):
            return "\(name) has \(open.count) open invoices; say which one to charge: \(open.joined(separator: ", "))."
        case .nothingOpen(let name):
            return "\(name) has no open invoice to charge."
        case .notFound(let number, let name, let open):
            let list = open.isEmpty ? "they have no open invoice" : "open: \(open.joined(separator: ", "))"
            return "Invoice #\(number) is not one of \(name)'s invoices; \(list)."
        }
    }
}
