/// Why ``ChargeGuard`` refused a charge. Each case names the invoice and the numbers involved;
/// ``description`` is the sentence shown to front-desk staff.
public enum ChargeRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case draft(invoice: String)
    case alreadyPaid(invoice: String)
    case badDebt(invoice: String)
    case unrecognizedStatus(invoice: String, status: String)
    case currencyMismatch(invoice: String, invoiceCurrency: String, chargeCurrency: String)
    case notPositive(Money)
    case nothingOwed(invoice: String)
    case exceedsBalance(invoice: String, amount: Money, balance: Money)
    /// Less than the balance, but staff did not say it is a partial payment or a deposit.
    case partialNotDeclared(invoice: String, amount: Money, balance: Money)
    case belowMinimum(amount: Money, minimum: Money)
    case aboveMaximum(amount: Money, maximum: Money)
    /// Deposits on quotes.
    case quoteDraft(quote: String)
    case quoteChangesRequested(quote: String)
    case quoteClosed(quote: String, status: String)
    case unrecognizedQuoteStatus(quote: String, status: String)
    case quoteCurrencyMismatch(quote: String, quoteCurrency: String, chargeCurrency: String)
    case noDepositDue(quote: String)
    case exceedsDeposit(quote: String, amount: Money, outstanding: Money)

    public var description: String {
        switch self {
        case .draft(let number):
            return "Invoice #\(number) is still a draft in Jobber — send it before charging."
        case .alreadyPaid(let number):
            return "Invoice #\(number) is already paid in Jobber; there is nothing to charge."
        case .badDebt(let number):
            return "Invoice #\(number) is marked as bad debt in Jobber; reopen it there before charging."
        case .unrecognizedStatus(let number, let status):
            return "Invoice #\(number) has the status \"\(status)\", which posplus does not know; it will not charge it."
        case .currencyMismatch(let number, let invoiceCurrency, let chargeCurrency):
            return "Invoice #\(number) is in \(invoiceCurrency), but the charge is in \(chargeCurrency)."
        case .notPositive(let amount):
            return "A charge must be more than zero, not \(amount.formatted)."
        case .nothingOwed(let number):
            return "Invoice #\(number) has no balance left to pay."
        case .exceedsBalance(let number, let amount, let balance):
            return "\(amount.formatted) is more than the \(balance.formatted) still owed on invoice #\(number)."
        case .partialNotDeclared(let number, let amount, let balance):
            return
                "\(amount.formatted) is not the \(balance.formatted) owed on invoice #\(number); say it is a partial payment or a deposit if that is meant."
        case .belowMinimum(let amount, let minimum):
            return "\(amount.formatted) is below the smallest charge allowed (\(minimum.formatted))."
        case .aboveMaximum(let amount, let maximum):
            return "\(amount.formatted) is above the largest charge allowed (\(maximum.formatted)); ask a manager."
        case .quoteDraft(let number):
            return "Quote #\(number) is still a draft in Jobber — send it to the client before taking a deposit."
        case .quoteChangesRequested(let number):
            return "The client asked for changes to quote #\(number); update and resend it before taking a deposit."
        case .quoteClosed(let number, let status):
            return "Quote #\(number) is \(status) in Jobber; take the payment on its invoice instead."
        case .unrecognizedQuoteStatus(let number, let status):
            return "Quote #\(number) has the status \"\(status)\", which posplus does not know; it will not take a deposit on it."
        case .quoteCurrencyMismatch(let number, let quoteCurrency, let chargeCurrency):
            return "Quote #\(number) is in \(quoteCurrency), but the deposit is in \(chargeCurrency)."
        case .noDepositDue(let number):
            return "Quote #\(number) has no deposit left to collect."
        case .exceedsDeposit(let number, let amount, let outstanding):
            return "\(amount.formatted) is more than the \(outstanding.formatted) of deposit still to collect on quote #\(number)."
        }
    }
}
