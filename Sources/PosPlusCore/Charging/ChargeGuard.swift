/// What staff intend to charge on an invoice: the amount, and whether it is meant to be the
/// whole balance. An amount below the balance must be declared partial (or a deposit), so a
/// typo such as 45.00 for 450.00 is caught instead of quietly leaving a balance.
public struct ProposedCharge: Equatable, Sendable {
    public enum Intent: String, Equatable, Sendable, Codable {
        /// Pay what is owed; the amount must equal the balance.
        case fullBalance
        /// Pay part of the balance now.
        case partial
        /// A deposit ahead of the work.
        case deposit
    }

    public var amount: Money
    public var intent: Intent

    public init(amount: Money, intent: Intent) {
        self.amount = amount
        self.intent = intent
    }
}

/// Configured bounds on a single charge, as a business sets them (a floor against $0.01 test
/// charges, a ceiling against a misplaced decimal point).
public struct ChargeLimits: Equatable, Sendable {
    public var minimum: Money?
    public var maximum: Money?

    public init(minimum: Money? = nil, maximum: Money? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// The rules every charge against an invoice must pass, before the terminal or gateway is
/// asked for money. Pure: the payment path runs it on a fresh ``InvoiceSnapshot`` once when
/// staff start and again immediately before charging.
public struct ChargeGuard: Sendable {
    public var limits: ChargeLimits

    public init(limits: ChargeLimits = ChargeLimits()) {
        self.limits = limits
    }

    /// Passes silently, or throws the first rule the charge breaks.
    public func check(_ charge: ProposedCharge, against invoice: InvoiceSnapshot) throws(ChargeRefusal) {
        let amount = charge.amount
        switch invoice.status {
        case .draft: throw .draft(invoice: invoice.number)
        case .paid: throw .alreadyPaid(invoice: invoice.number)
        case .badDebt: throw .badDebt(invoice: invoice.number)
        case .unrecognized(let raw): throw .unrecognizedStatus(invoice: invoice.number, status: raw)
        case .awaitingPayment, .pastDue, .sentNotDue: break
        }
        guard amount.currency == invoice.balance.currency else {
            throw .currencyMismatch(
                invoice: invoice.number, invoiceCurrency: invoice.balance.currency.code, chargeCurrency: amount.currency.code)
        }
        guard amount.isPositive else { throw .notPositive(amount) }
        guard invoice.balance.isPositive else { throw .nothingOwed(invoice: invoice.number) }
        guard amount.minorUnits <= invoice.balance.minorUnits else {
            throw .exceedsBalance(invoice: invoice.number, amount: amount, balance: invoice.balance)
        }
        if charge.intent == .fullBalance && amount != invoice.balance {
            throw .partialNotDeclared(invoice: invoice.number, amount: amount, balance: invoice.balance)
        }
        try checkLimits(amount)
    }

    /// The rules for taking a quote's deposit: the quote is out with the client (awaiting a
    /// response, or approved), and the amount is positive, in its currency, and no more than the
    /// deposit still to collect. Less than that is a part of the deposit, which staff ask for by
    /// giving the amount.
    public func checkDeposit(_ amount: Money, on quote: QuoteSnapshot) throws(ChargeRefusal) {
        switch quote.status {
        case .awaitingResponse, .approved: break
        case .draft: throw .quoteDraft(quote: quote.number)
        case .changesRequested: throw .quoteChangesRequested(quote: quote.number)
        case .converted, .archived: throw .quoteClosed(quote: quote.number, status: quote.status.displayName)
        case .unrecognized(let raw): throw .unrecognizedQuoteStatus(quote: quote.number, status: raw)
        }
        guard amount.currency == quote.outstandingDeposit.currency else {
            throw .quoteCurrencyMismatch(
                quote: quote.number, quoteCurrency: quote.outstandingDeposit.currency.code, chargeCurrency: amount.currency.code)
        }
        guard amount.isPositive else { throw .notPositive(amount) }
        guard quote.outstandingDeposit.isPositive else { throw .noDepositDue(quote: quote.number) }
        guard amount.minorUnits <= quote.outstandingDeposit.minorUnits else {
            throw .exceedsDeposit(quote: quote.number, amount: amount, outstanding: quote.outstandingDeposit)
        }
        try checkLimits(amount)
    }

    private func checkLimits(_ amount: Money) throws(ChargeRefusal) {
        if let minimum = limits.minimum, minimum.currency == amount.currency, amount.minorUnits < minimum.minorUnits {
            throw .belowMinimum(amount: amount, minimum: minimum)
        }
        if let maximum = limits.maximum, maximum.currency == amount.currency, amount.minorUnits > maximum.minorUnits {
            throw .aboveMaximum(amount: amount, maximum: maximum)
        }
    }
}
