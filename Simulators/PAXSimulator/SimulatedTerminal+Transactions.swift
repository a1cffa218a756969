import Foundation
import PAX

extension SimulatedTerminal {
    /// T00 / T02 / T12: validate, detect duplicates, apply demo amounts, log, reply.
    func transaction(_ request: POSLinkFrame, command: POSLinkRequest.Command, version: String, fault: SimulatorFault?) -> POSLinkFrame {
        let type = request.value(2)
        let amountText = request.value(3, 0)
        let reference = request.value(command == .credit ? 5 : 5, 0)
        let invoice = request.value(5, 1)
        let authCode = request.value(5, 2)
        let originalNumber = request.value(5, 3)
        let ext = Self.extData(request.subfields(command == .credit ? 10 : 7))
        let fail = { (code: String, text: String) in self.reply(to: command.rawValue, version: version, code: code, text: text) }

        guard !reference.isEmpty, reference.count <= 16 else { return fail("100003", "REF NO MISSING") }
        guard let kind = POSLinkRequest.TransactionType(rawValue: type) else { return fail("100004", "UNSUPPORT TRANS") }
        let needsAmount = kind != .void && kind != .tokenize && kind != .verify
        var requested: Int64 = 0
        if needsAmount {
            guard !amountText.isEmpty, amountText.count <= 9, amountText.allSatisfy(\.isNumber), let value = Int64(amountText), value > 0
            else {
                return fail("100003", "AMOUNT INVALID")
            }
            requested = value
        }

        return lock.withLock { () -> POSLinkFrame in
            if fault == .duplicateTransaction, let latest = records.last {
                return frame(for: latest, command: command, version: version, code: "100011", text: "DUP TRANSACTION", fault: fault)
            }
            if let original = records.first(where: { $0.reference == reference }) {
                // Same ECR reference again: the terminal answers with the original's data.
                return frame(for: original, command: command, version: version, code: "100011", text: "DUP TRANSACTION", fault: fault)
            }
            var record = Record(
                recordNumber: 0, reference: reference, command: command.rawValue, type: type, requestedCents: requested,
                approvedCents: requested, resultCode: "000000", hostCode: "00", hostMessage: "APPROVAL", authCode: "",
                hostReference: "", token: "", batch: batch, invoiceNumber: invoice)
            switch kind {
            case .void, .voidSale, .voidReturn:
                guard let index = findOriginal(number: originalNumber, hostReference: ext["HREF"]) else {
                    return fail("100023", "NOT FOUND")
                }
                guard !records[index].voided else { return fail("100021", "ALREADY VOIDED") }
                guard records[index].batch == batch else { return fail("100023", "CANNOT VOID") }
                records[index].voided = true
                record.approvedCents = records[index].approvedCents
                record.requestedCents = records[index].approvedCents
            case .return:
                if let index = findOriginal(number: originalNumber, hostReference: ext["HREF"]) {
                    let left = records[index].approvedCents - records[index].refundedCents
                    guard !records[index].voided, requested <= left else {
                        record.resultCode = "000100"
                        record.hostCode = "13"
                        record.hostMessage = "AMOUNT EXCEEDS ORIGINAL"
                        record.approvedCents = 0
                        break
                    }
                    records[index].refundedCents += requested
                } else if !authCode.isEmpty || ext["HREF"] != nil {
                    return fail("100023", "NOT FOUND")
                }
            case .tokenize, .verify:
                record.approvedCents = 0
            case .postAuth:
                guard let index = findOriginal(number: originalNumber, hostReference: ext["HREF"]),
                    records[index].type == POSLinkRequest.TransactionType.auth.rawValue
                else { return fail("100023", "NOT FOUND") }
                guard !records[index].voided, records[index].refundedCents == 0, requested <= records[index].approvedCents else {
                    (record.resultCode, record.hostCode, record.hostMessage, record.approvedCents) = (
                        "000100", "13", "AMOUNT EXCEEDS AUTH", 0
                    )
                    break
                }
                records[index].refundedCents = requested  // the authorisation is used up
            case .auth:
                applyDemoAmounts(to: &record)
            default:
                if let token = ext["TOKEN"], tokens[token] == nil {
                    record.resultCode = "000100"
                    record.hostCode = "TK"
                    record.hostMessage = "TOKEN NOT FOUND"
                    record.approvedCents = 0
                } else {
                    applyDemoAmounts(to: &record)
                }
            }
            if record.resultCode == "000000" || record.resultCode == "000002" {
                serial += 1
                record.authCode = String(format: "A%05d", serial % 100_000)
                record.hostReference = String(format: "SIMH%08d", serial)
                if kind == .tokenize || ext["TOKENREQUEST"] == "1" {
                    record.token = String(format: "SIMTOK%010d", serial)
                    tokens[record.token] = String(testCardNumber.suffix(4))
                }
            }
            record.recordNumber = nextRecordNumber
            nextRecordNumber += 1
            records.append(record)
            return frame(
                for: record, command: command, version: version, code: record.resultCode, text: text(for: record.resultCode), fault: fault)
        }
    }

    /// $20.01 decline, $20.02 invalid card, $30.01 partial $10.00, $30.02 partial $5.00.
    func applyDemoAmounts(to record: inout Record) {
        switch record.requestedCents {
        case 2001:
            (record.resultCode, record.hostCode, record.hostMessage, record.approvedCents) = ("000100", "05", "DO NOT HONOR", 0)
        case 2002:
            (record.resultCode, record.hostCode, record.hostMessage, record.approvedCents) = ("000100", "14", "INVALID CARD", 0)
        case 3001:
            (record.resultCode, record.hostMessage, record.approvedCents) = ("000002", "PARTIAL APPROVAL", 1000)
        case 3002:
            (record.resultCode, record.hostMessage, record.approvedCents) = ("000002", "PARTIAL APPROVAL", 500)
        default:
            break
        }
    }

    func findOriginal(number: String, hostReference: String?) -> Int? {
        if !number.isEmpty, let index = records.firstIndex(where: { String($0.recordNumber) == number }) { return index }
        if let hostReference, let index = records.firstIndex(where: { $0.hostReference == hostReference }) { return index }
        return nil
    }

    func text(for code: String) -> String {
        ["000000": "OK", "000002": "PARTIAL APPROVAL", "000100": "DECLINE"][code] ?? "ERROR"
    }

    /// A T01 / T03 / T13 reply for a logged record.
    public func frame(
        for record: Record, command: POSLinkRequest.Command, version: String, code: String, text: String, fault: SimulatorFault?
    )
        -> POSLinkFrame
    {
        let host = POSLinkFrame.group([
            record.hostCode, record.hostMessage, record.authCode, record.hostReference, String(record.recordNumber), String(record.batch),
        ])
        let due = record.resultCode == "000002" ? String(record.requestedCents - record.approvedCents) : ""
        let amount = POSLinkFrame.group([String(record.approvedCents), due])
        let card = fault == .echoFullPAN ? testCardNumber : "************" + testCardNumber.suffix(4)
        let trace = POSLinkFrame.group([String(record.recordNumber), record.reference, POSLinkMapping.timestamp(record.recordedAt)])
        var extItems = record.token.isEmpty ? [] : ["TOKEN=" + record.token]
        if command != .check, record.resultCode == "000000" || record.resultCode == "000002", Self.readsChip(record.type) {
            extItems += Self.chipAnswers
        }
        let ext = POSLinkFrame.group(extItems)
        let groups: [String]
        if command == .check {
            groups = [host, record.type, amount, "", trace, ext]
        } else if command == .debit {
            let account = POSLinkFrame.group([card, "4", "1230", "", "", "", "01"])
            groups = [host, record.type, amount, account, trace, ext]
        } else {
            let account = POSLinkFrame.group([card, "4", "1230", "", "", "", "01", "", "", "", "0"])
            groups = [host, record.type, amount, account, trace, "", "", "", ext]
        }
        return reply(to: command.rawValue, version: version, code: code, text: text, groups: groups)
    }

    /// What the simulated chip answers on a card it read (the test card is a Visa credit card,
    /// read by chip: entry mode 4).
    static let chipAnswers = ["APPLAB=VISA CREDIT", "AID=A0000000031010", "TVR=0000008000", "TSI=E800"]

    /// A sale, authorisation or return reads the card; a void, capture or token charge does not.
    static func readsChip(_ type: String) -> Bool {
        [POSLinkRequest.TransactionType.sale, .auth, .return, .verify].map(\.rawValue).contains(type)
    }

    static func extData(_ items: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "=") else { continue }
            values[item[..<equals].uppercased()] = String(item[item.index(after: equals)...])
        }
        return values
    }
}
