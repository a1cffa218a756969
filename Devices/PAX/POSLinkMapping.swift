import Foundation
import PosPlusCore
import Terminal

/// Brand-free requests to POSLink frames, and POSLink replies back to brand-free results
/// (poslink.md §1.11). The only place that knows both vocabularies.
public enum POSLinkMapping {
    static func frame(for request: TerminalRequest, version: String) throws -> (POSLinkFrame, POSLinkRequest.Command) {
        if let amount = request.amount {
            guard amount.currency.minorUnitDigits == 2 else {
                throw TerminalError.unsupported("charge in \(amount.currency.code): POSLink amounts are in cents")
            }
            guard amount.isPositive, amount.minorUnits <= 999_999_999 else {
                throw TerminalError.unsupported("charge \(amount.formatted): a terminal amount is 1 cent to $9,999,999.99")
            }
        }
        var transaction = POSLinkRequest.Transaction(
            type: .sale, amountCents: request.amount?.minorUnits, reference: request.reference.rawValue,
            invoiceNumber: request.invoiceNumber.map { String($0.prefix(16)) })
        if request.requestToken { transaction.extData.append(("TOKENREQUEST", "1")) }
        switch request.kind {
        case .sale, .deposit:
            break
        case .keyedSale(_, let mode):
            transaction.motoMode = mode == .mail ? "M" : "T"
        case .achDebit:
            return (POSLinkRequest.check(transaction, version: version), .check)
        case .debitSale:
            return (POSLinkRequest.debit(transaction, version: version), .debit)
        case .void(let original):
            transaction.type = .void
            apply(original, to: &transaction)
        case .refund(_, let original):
            transaction.type = .return
            apply(original, to: &transaction)
        case .authorize:
            transaction.type = .auth
        case .capture(_, let original):
            transaction.type = .postAuth
            apply(original, to: &transaction)
        case .verifyCard:
            transaction.type = .verify
        case .tokenize:
            transaction.type = .tokenize
            transaction.extData = [("TOKENREQUEST", "1")]
        case .tokenSale(_, let token):
            guard !token.isEmpty, !token.contains(where: { $0.asciiValue.map { $0 < 0x20 || $0 > 0x7E } ?? true }), !token.contains("=")
            else {
                throw TerminalError.unsupported("use that token: it must be printable ASCII")
            }
            transaction.extData.append(("TOKEN", token))
        }
        return (POSLinkRequest.credit(transaction, version: version), .credit)
    }

    private static func apply(_ original: OriginalTransaction, to transaction: inout POSLinkRequest.Transaction) {
        transaction.originalRecordNumber = original.terminalRecordNumber
        transaction.authCode = original.authCode
        if let host = original.hostReference { transaction.extData.append(("HREF", host)) }
    }

    /// Reads a T01/T03/T13 reply.
    static func result(from response: POSLinkResponse, for request: TerminalRequest, currency businessCurrency: Currency = .usd)
        throws(POSLinkParseError) -> TerminalResult
    {
        let isCheck = response.command == POSLinkRequest.Command.check.replyID
        let fields =
            isCheck
            ? (
                host: POSLinkResponse.CheckField.host, amount: POSLinkResponse.CheckField.amount, account: -1,
                trace: POSLinkResponse.CheckField.trace, ext: POSLinkResponse.CheckField.extData
            )
            : (
                host: POSLinkResponse.CreditField.host, amount: POSLinkResponse.CreditField.amount,
                account: POSLinkResponse.CreditField.account,
                trace: POSLinkResponse.CreditField.trace, ext: POSLinkResponse.CreditField.extData
            )
        let currency = request.amount?.currency ?? businessCurrency
        let frame = response.frame
        let approved = try cents(frame.value(fields.amount, 0), currency: currency)
        let due = try cents(frame.value(fields.amount, 1), currency: currency)
        let outcome = POSLinkResultCode.outcome(
            code: response.resultCode, text: response.resultText, hostCode: frame.value(fields.host, 0), amountDue: due,
            currency: currency)
        let hostMessage = frame.value(fields.host, 1)
        var result = TerminalResult(
            outcome: outcome,
            approvedAmount: outcome.moneyMoved || outcome == .duplicate ? (approved ?? request.amount) : nil,
            authCode: nonEmpty(frame.value(fields.host, 2)), hostReference: nonEmpty(frame.value(fields.host, 3)),
            terminalRecordNumber: nonEmpty(frame.value(fields.trace, 0)),
            token: nonEmpty(response.extData(fields.ext)["TOKEN"] ?? ""),
            resultCode: response.resultCode,
            message: hostMessage.isEmpty ? response.resultText : "\(response.resultText): \(hostMessage)",
            reference: try? PaymentReference(frame.value(fields.trace, 1)))
        if fields.account >= 0 {
            result.card = card(account: frame.value(fields.account, 0), cardType: frame.value(fields.account, 6))
            result.entryMode = entryMode(frame.value(fields.account, 1))
            result.cardExpiry = CardExpiry(mmyy: frame.value(fields.account, 2))
        }
        result.cardReading = cardReading(entryMode: result.entryMode, ext: response.extData(fields.ext))
        result.hostCode = nonEmpty(frame.value(fields.host, 0))
        return result
    }

    /// Reads an R03 reply to "what happened to this reference?".
    /// Amounts in a report carry no currency: they are in the business's (`currency`).
    static func lookup(from response: POSLinkResponse, reference: PaymentReference, currency: Currency = .usd) throws -> TerminalLookup {
        let frame = response.frame
        if response.resultCode == "100023"
            || (response.resultCode == "000000" && (Int(frame.value(POSLinkResponse.ReportField.totalRecords)) ?? 0) == 0)
        {
            return .notFound
        }
        guard response.resultCode == "000000" else {
            throw TerminalError.failed("lookup of \(reference): \(response.resultText) (\(response.resultCode))")
        }
        let field = POSLinkResponse.ReportField.self
        let amount = try cents(frame.value(field.amount, 0), currency: currency)
        let due = try cents(frame.value(field.amount, 1), currency: currency)
        let outcome = POSLinkResultCode.outcome(
            code: recordResultCode(frame), text: frame.value(field.host, 1), hostCode: frame.value(field.host, 0), amountDue: due,
            currency: currency)
        var found = TerminalResult(
            outcome: outcome, approvedAmount: outcome.moneyMoved ? amount : nil,
            card: card(account: frame.value(field.account, 0), cardType: frame.value(field.account, 6)),
            entryMode: entryMode(frame.value(field.account, 1)),
            authCode: nonEmpty(frame.value(field.host, 2)), hostReference: nonEmpty(frame.value(field.host, 3)),
            terminalRecordNumber: nonEmpty(frame.value(field.trace, 0)),
            token: nonEmpty(response.extData(field.extData)["TOKEN"] ?? ""),
            resultCode: recordResultCode(frame), message: frame.value(field.host, 1), reference: reference)
        found.cardExpiry = CardExpiry(mmyy: frame.value(field.account, 2))
        found.hostCode = nonEmpty(frame.value(field.host, 0))
        found.cardReading = cardReading(entryMode: found.entryMode, ext: response.extData(field.extData))
        return .found(found)
    }

    /// A report record's own result: the host code "00" approves; the simulator and newer
    /// terminals also put the POSLink result code in ExtData `RESULTCODE`.
    static func recordResultCode(_ frame: POSLinkFrame) -> String {
        for item in frame.subfields(POSLinkResponse.ReportField.extData) where item.hasPrefix("RESULTCODE=") {
            return String(item.dropFirst("RESULTCODE=".count))
        }
        return frame.value(POSLinkResponse.ReportField.host, 0) == "00" ? "000000" : "000100"
    }

    static func cents(_ text: String, currency: Currency) throws(POSLinkParseError) -> Money? {
        guard !text.isEmpty else { return nil }
        guard text.count <= 12, text.allSatisfy(\.isASCIIDigit), let value = Int64(text) else { throw .badAmount(text) }
        return Money(minorUnits: value, currency: currency)
    }

    /// Brand and last four only, whatever the terminal put in the account field — even a
    /// full number from a misconfigured terminal is cut down here, before anything else sees it.
    static func card(account: String, cardType: String) -> MaskedCard? {
        let digits = account.filter(\.isASCIIDigit)
        guard digits.count >= 4 else { return nil }
        let brands = ["01": "VISA", "02": "MASTERCARD", "03": "AMEX", "04": "DISCOVER", "05": "DINERS", "06": "ENROUTE", "07": "JCB"]
        return try? MaskedCard(brand: brands[cardType] ?? "CARD", last4: String(digits.suffix(4)))
    }

    /// The entry mode and the chip's ExtData answers (`APPLAB`, `AID`, `TVR`, `TSI`; poslink.md
    /// §1.7 lists the first three as response-only keys, `TSI` is read where a terminal sends it).
    static func cardReading(entryMode: EntryMode?, ext: [String: String]) -> CardReading? {
        let reading = CardReading(
            entryMode: entryMode?.rawValue, applicationLabel: ext["APPLAB"], applicationID: ext["AID"],
            terminalVerificationResults: ext["TVR"], transactionStatusInformation: ext["TSI"])
        return reading.isEmpty ? nil : reading
    }

    static func entryMode(_ code: String) -> EntryMode? {
        ["0": .keyed, "1": .swiped, "2": .contactless, "3": .scanned, "4": .chip, "5": .chipFallbackToSwipe][code]
    }

    /// POSLink's `YYYYMMDDhhmmss`, in UTC.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
