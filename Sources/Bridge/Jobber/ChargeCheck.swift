import Jobber
import PosPlusCore

/// Step 2 of the payment path, against Jobber as it is now: which invoice, and may this
/// amount be charged on it. The payment service calls ``approve(_:)`` when staff start and
/// ``confirm(_:approved:)`` immediately before the terminal or gateway is asked for money, so
/// a payment recorded in Jobber in between (by the office, or a customer's link) is caught.
public struct ChargeCheck<C: Clock<Duration>>: Sendable {
    public let invoices: JobberInvoices<C>
    public let rules: ChargeGuard

    public init(invoices: JobberInvoices<C>, rules: ChargeGuard) {
        self.invoices = invoices
        self.rules = rules
    }

    /// What staff asked for: an invoice by number or id, or a client whose open invoice is
    /// meant (which must then be the only one, or be named).
    public enum Target: Equatable, Sendable {
        case invoiceNumber(String)
        case invoiceID(String)
        case client(id: String, name: String, invoiceNumber: String?)
    }

    /// The invoice to charge, read fresh from Jobber, if `charge` passes every rule on it.
    public func approve(_ target: Target, charge: ProposedCharge) async throws(ChargeCheckError) -> InvoiceSnapshot {
        let invoice = try await read(target)
        do { try rules.check(charge, against: invoice) } catch { throw .refused(error) }
        return invoice
    }

    /// Like ``approve(_:charge:)`` when staff may leave the amount out: `nil` means the balance
    /// as Jobber states it now. Returns the invoice and the charge that passed.
    public func approve(_ target: Target, amount: Money?, intent: ProposedCharge.Intent) async throws(ChargeCheckError)
        -> (InvoiceSnapshot, ProposedCharge)
    {
        let invoice = try await read(target)
        let charge = ProposedCharge(amount: amount ?? invoice.balance, intent: amount == nil ? .fullBalance : intent)
        do { try rules.check(charge, against: invoice) } catch { throw .refused(error) }
        return (invoice, charge)
    }

    /// The quote whose deposit is to be taken, read fresh, if `amount` (nil: all the deposit
    /// still to collect) passes the deposit rule on it. Returns the quote and the amount.
    public func approveDeposit(quoteID: String, amount: Money?) async throws(ChargeCheckError) -> (QuoteSnapshot, Money) {
        let quote: QuoteSnapshot
        do { quote = try await invoices.quote(id: quoteID) } catch { throw .jobber(error) }
        let charged = amount ?? quote.outstandingDeposit
        do { try rules.checkDeposit(charged, on: quote) } catch { throw .refused(error) }
        return (quote, charged)
    }

    /// The deposit rule again on a fresh read, right before money moves; a quote whose status or
    /// outstanding deposit changed meanwhile is refused so staff look again.
    public func confirmDeposit(_ amount: Money, approved: QuoteSnapshot) async throws(ChargeCheckError) {
        let fresh: QuoteSnapshot
        do { fresh = try await invoices.quote(id: approved.id) } catch { throw .jobber(error) }
        guard fresh.status == approved.status, fresh.outstandingDeposit == approved.outstandingDeposit else {
            throw .quoteChanged(quote: approved.number)
        }
        do { try rules.checkDeposit(amount, on: fresh) } catch { throw .refused(error) }
    }

    private func read(_ target: Target) async throws(ChargeCheckError) -> InvoiceSnapshot {
        let invoice: InvoiceSnapshot
        do {
            switch target {
            case .invoiceNumber(let number): invoice = try await invoices.invoice(number: number)
            case .invoiceID(let id): invoice = try await invoices.invoice(id: id)
            case .client(let id, let name, let number):
                let open = try await invoices.openInvoices(clientID: id)
                // Jobber's own spelling of the name when it sent any invoice (staff may only know the id).
                let clientName = open.first?.clientName ?? name
                do { invoice = try InvoiceChoice.choose(among: open, named: number, clientName: clientName) } catch {
                    throw ChargeCheckError.choice(error)
                }
            }
        } catch let error as ChargeCheckError { throw error } catch let error as JobberError { throw .jobber(error) } catch {
            throw .jobber(.malformedResponse("\(error)"))
        }
        return invoice
    }

    /// The same rules on a fresh read, right before money moves. An invoice whose status or
    /// balance changed since ``approve(_:charge:)`` is refused even if the charge would still
    /// fit: staff decided on what they saw, so they must look again.
    public func confirm(_ charge: ProposedCharge, approved: InvoiceSnapshot) async throws(ChargeCheckError) -> InvoiceSnapshot {
        let fresh: InvoiceSnapshot
        do { fresh = try await invoices.invoice(id: approved.id) } catch { throw .jobber(error) }
        guard fresh.status == approved.status, fresh.balance == approved.balance else {
            throw .changed(invoice: approved.number, before: approved, now: fresh)
        }
        do { try rules.check(charge, against: fresh) } catch { throw .refused(error) }
        return fresh
    }
}

/// Why a charge may not go ahead; ``description`` is what staff read.
public enum ChargeCheckError: Error, Equatable, Sendable, CustomStringConvertible {
    case refused(ChargeRefusal)
    case choice(InvoiceChoiceError)
    case changed(invoice: String, before: InvoiceSnapshot, now: InvoiceSnapshot)
    case quoteChanged(quote: String)
    case jobber(JobberError)
    /// Jobber is not set up in this process (a setting is missing); the reason names it.
    case unavailable(String)

    public var description: String {
        switch self {
        case .refused(let refusal): return refusal.description
        case .choice(let choice): return choice.description
        case .changed(let number, let before, let now):
            return
                "Invoice #\(number) changed in Jobber since it was checked (\(Self.summary(before)) → \(Self.summary(now))); nothing was charged — check it again."
        case .quoteChanged(let number):
            return "Quote #\(number) changed in Jobber since it was checked; nothing was charged — check it again."
        case .jobber(let error): return "Jobber could not be asked about the invoice: \(error)"
        case .unavailable(let reason): return "A charge is checked against the Jobber invoice first, but \(reason)."
        }
    }

    private static func summary(_ invoice: InvoiceSnapshot) -> String {
        "\(invoice.status.jobberValue.replacingOccurrences(of: "_", with: " ")), \(invoice.balance.formatted) due"
    }
}
