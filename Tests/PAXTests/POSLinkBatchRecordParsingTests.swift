import Foundation
import PosPlusCore
import Terminal
import Testing

@testable import PAX

/// R03 records built by hand, field by field as the reference lays them out, read by the
/// mapping the driver's listing uses: bad fields are errors that name the field.
@Suite("POSLink R03 records read as batch records")
struct POSLinkBatchRecordParsingTests {
    /// An R03 reply: header, TotalRecord, RecordNumber, then the record's groups.
    func reply(
        total: String = "3", amount: [String] = ["1234"], account: [String] = ["************1111", "4", "1230", "", "", "", "01"],
        stamp: String = "20261122120000", type: String = "01", edc: String = "01", ext: [String] = ["RESULTCODE=000000"]
    ) throws -> POSLinkResponse {
        let fields = [
            "0", "R03", "1.28", "000000", "OK", total, "0", POSLinkFrame.group(["00", "APPROVAL", "A00001", "SIMH00000001"]), edc, type,
            "", POSLinkFrame.group(amount), POSLinkFrame.group(account), POSLinkFrame.group(["7", "R0001", stamp]), "", "", "",
            POSLinkFrame.group(ext),
        ]
        return try POSLinkResponse(POSLinkFrame(fields: fields), answering: .localDetailReport)
    }

    func page(_ response: POSLinkResponse) throws -> POSLinkMapping.BatchPage {
        try POSLinkMapping.batchPage(from: response, currency: .usd, timeZone: TimeZone(secondsFromGMT: 0)!)
    }

    @Test func aWellFormedRecordIsReadExactly() throws {
        let read = try page(try reply())
        #expect(read.totalRecords == 3)
        #expect(
            read.record
                == TerminalBatchRecord(
                    terminalRecordNumber: "7", reference: try PaymentReference("R0001"), kind: .sale, approved: true,
                    approvedAmount: Money(minorUnits: 1_234, currency: .usd), recordedAt: Date(timeIntervalSince1970: 1_795_348_800),
                    card: try MaskedCard(brand: "VISA", last4: "1111"), authCode: "A00001", hostReference: "SIMH00000001",
                    resultCode: "000000"))
    }

    @Test(arguments: [
        (["12.34"], "ApprovedAmount"), (["-100"], "ApprovedAmount"), (["1234", "5x"], "AmountDue"),
        (["9999999999999"], "ApprovedAmount"),
    ])
    func aMalformedAmountIsAnErrorNamingTheField(amount: [String], field: String) throws {
        #expect {
            try page(try reply(amount: amount))
        } throws: { "\($0)".contains("the \(field) field") }
    }

    @Test(arguments: ["", "-1", "abc", "10000", "99999999999999999999"])
    func aNonsenseTotalIsAnErrorNamingTheField(total: String) throws {
        #expect {
            try page(try reply(total: total))
        } throws: { "\($0)".contains("the TotalRecord field") }
    }

    @Test(arguments: ["20261340120000", "2026112212000", "2026-11-22T12:0"])
    func aStampThatIsNotARealTimeIsAnError(stamp: String) throws {
        #expect {
            try page(try reply(stamp: stamp))
        } throws: { "\($0)".contains("the TimeStamp field") }
    }

    @Test func aRecordWithoutAStampHasNoTime() throws {
        #expect(try page(try reply(stamp: "")).record.recordedAt == nil)
    }

    /// A misconfigured terminal's full card number is cut to the last four before the record exists.
    @Test func aFullCardNumberBecomesTheLastFour() throws {
        let record = try page(try reply(account: ["4111111111111111", "4", "1230", "", "", "", "02"])).record
        #expect(record.card?.display == "MASTERCARD •••• 1111")
        #expect(!"\(record)".contains("4111111111111111"))
    }

    @Test func typesAreReadInThePaymentPathsWords() {
        let kinds: [(String, String, TerminalBatchRecord.Kind)] = [
            ("01", "01", .sale), ("01", "02", .debitSale), ("01", "03", .achDebit), ("02", "01", .refund), ("03", "01", .authorize),
            ("04", "01", .capture), ("16", "01", .void), ("17", "01", .void), ("18", "01", .void), ("24", "01", .verifyCard),
            ("32", "01", .tokenize), ("05", "01", .other("05")),
        ]
        for (type, edc, kind) in kinds {
            #expect(POSLinkMapping.batchKind(transactionType: type, edcType: edc) == kind, "type \(type) on EDC \(edc)")
        }
    }

    /// A partial approval reports what it covered and what is still due; a decline moved nothing.
    @Test func partialAndDeclinedRecords() throws {
        let partial = try page(try reply(amount: ["1000", "2001"], ext: ["RESULTCODE=000002"])).record
        #expect(partial.approved && partial.approvedAmount.minorUnits == 1_000 && partial.amountDue?.minorUnits == 2_001)
        let declined = try page(try reply(amount: ["0"], ext: ["RESULTCODE=000100"])).record
        #expect(!declined.approved && declined.approvedAmount.minorUnits == 0 && declined.amountDue == nil)
        let voided = try page(try reply(ext: ["RESULTCODE=000000", "VOIDED=1"])).record
        #expect(voided.voided && voided.approved)
    }
}
