import Foundation
import HTTPClient
import Jobber
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Invoice, quote and payment queries read into snapshots, over real HTTP. The server answers
/// from canned JSON keyed by operation name (a stand-in until the Jobber simulator exists).
@Suite("Jobber invoice queries")
struct JobberInvoicesTests {
    static let invoice1042 =
        #"{"id":"SW52LzEwNDI=","invoiceNumber":"1042","invoiceStatus":"awaiting_payment","amounts":{"total":460.0,"invoiceBalance":4.6},"client":{"id":"Q2xpZW50LzE=","name":"Ada Lovelace"}}"#
    static let invoice1043 =
        #"{"id":"SW52LzEwNDM=","invoiceNumber":"1043","invoiceStatus":"past_due","amounts":{"total":1234.56,"invoiceBalance":1234.56},"client":{"id":"Q2xpZW50LzE=","name":"Ada Lovelace"}}"#
    static let draft =
        #"{"id":"SW52LzEwNDQ=","invoiceNumber":"1044","invoiceStatus":"draft","amounts":{"total":10,"invoiceBalance":10},"client":{"id":"Q2xpZW50LzE=","name":"Ada Lovelace"}}"#

    static func replies(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Reply {
        let body: String
        switch true {
        case request.text.contains("query Invoice("): body = #"{"data":{"invoice":\#(invoice1042)}}"#
        case request.text.contains("InvoiceByNumber"): body = #"{"data":{"invoices":{"nodes":[\#(invoice1043)]}}}"#
        case request.text.contains("ClientInvoices"): body = #"{"data":{"invoices":{"nodes":[\#(invoice1042),\#(invoice1043),\#(draft)]}}}"#
        case request.text.contains("query Quote("):
            body =
                #"{"data":{"quote":{"id":"UXVvdGUvNw==","quoteNumber":"77","quoteStatus":"approved","amounts":{"total":999999.99,"depositAmount":150.0,"outstandingDepositAmount":0.1},"client":{"id":"Q2xpZW50LzE=","name":"Ada Lovelace"}}}}"#
        case request.text.contains("query Payments("):
            body =
                #"{"data":{"invoice":{"paymentRecords":{"nodes":[{"id":"UGF5LzE=","amount":455.4,"entryDate":"2026-11-20T10:00:00-05:00"}]}}}}"#
        default: body = #"{"errors":[{"message":"unknown operation"}]}"#
        }
        return .respond(status: 200, body: Array(body.utf8))
    }

    func invoices(_ server: LocalHTTPServer) -> JobberInvoices<ContinuousClock> {
        let tokens = JobberTokens(accountID: "a", accessToken: Secret("t"), refreshToken: Secret("r"), expiresAt: .distantFuture)
        let store = JobberClientTests.MemoryStore(tokens)
        let manager = JobberTokenManager(store: store) { (old: JobberTokens) async throws(JobberError) -> JobberTokens in old }
        let client = JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")), clock: ContinuousClock(), logger: Logger(label: "t"))
        return JobberInvoices(client: client, currency: .usd)
    }

    @Test func anInvoiceIsReadWithExactMoney() async throws {
        let server = try LocalHTTPServer(handler: Self.replies)
        defer { server.stop() }
        let invoice = try await invoices(server).invoice(id: "SW52LzEwNDI=")
        #expect(invoice.number == "1042")
        #expect(invoice.status == .awaitingPayment)
        #expect(invoice.total.minorUnits == 46_000)
        #expect(invoice.balance.minorUnits == 460)  // 4.6 dollars, exactly
        #expect(invoice.clientName == "Ada Lovelace")
        #expect(server.requests.first?.text.contains(#""variables":{"id":"SW52LzEwNDI="}"#) == true)
    }

    @Test func byNumberClientInvoicesQuoteAndPayments() async throws {
        let server = try LocalHTTPServer(handler: Self.replies)
        defer { server.stop() }
        let jobber = invoices(server)
        #expect(try await jobber.invoice(number: "1043").balance.minorUnits == 123_456)
        let open = try await jobber.openInvoices(clientID: "Q2xpZW50LzE=")
        #expect(open.map(\.number) == ["1042", "1043"])  // the draft is not open
        let quote = try await jobber.quote(id: "UXVvdGUvNw==")
        #expect(quote.total.minorUnits == 99_999_999)
        #expect(quote.outstandingDeposit.minorUnits == 10)
        #expect(try await jobber.paymentRecords(invoiceID: "SW52LzEwNDI=").map(\.amount.minorUnits) == [45_540])
        for request in server.requests where request.text.contains("invoices(") || request.text.contains("paymentRecords(") {
            #expect(request.text.contains("first:"))  // every connection is bounded, for cost
        }
    }

    @Test func aReplyWithABadAmountNamesTheField() async throws {
        let server = try LocalHTTPServer { _ in
            .respond(
                status: 200,
                body: Array(
                    #"{"data":{"invoice":{"id":"x","invoiceNumber":"1","invoiceStatus":"paid","amounts":{"total":1e-7,"invoiceBalance":0},"client":{"id":"c"}}}}"#
                        .utf8))
        }
        defer { server.stop() }
        await #expect {
            try await invoices(server).invoice(id: "x")
        } throws: { "\($0)".contains("invoice.amounts.total") }
    }

    @Test func unknownStatusesDecodeAndAreRefusedByTheGuard() async throws {
        let server = try LocalHTTPServer { _ in
            .respond(
                status: 200,
                body: Array(
                    #"{"data":{"invoice":{"id":"x","invoiceNumber":"7","invoiceStatus":"on_hold","amounts":{"total":5,"invoiceBalance":5},"client":{"id":"c","name":"B"}}}}"#
                        .utf8))
        }
        defer { server.stop() }
        let invoice = try await invoices(server).invoice(id: "x")
        #expect(invoice.status == .unrecognized("on_hold"))
        #expect(throws: ChargeRefusal.unrecognizedStatus(invoice: "7", status: "on_hold")) {
            try ChargeGuard().check(ProposedCharge(amount: Money(minorUnits: 500, currency: .usd), intent: .fullBalance), against: invoice)
        }
    }
}

@Suite("Choosing the invoice to charge")
struct InvoiceChoiceTests {
    func invoice(_ number: String, _ status: InvoiceStatus, cents: Int64) -> InvoiceSnapshot {
        let money = Money(minorUnits: cents, currency: .usd)
        return InvoiceSnapshot(
            id: "id-\(number)", number: number, status: status, total: money, balance: money, clientID: "c", clientName: "Ada")
    }

    @Test func oneOpenInvoiceIsChosenSeveralMustBeNamed() throws {
        let one = [invoice("1042", .awaitingPayment, cents: 46_000), invoice("1040", .paid, cents: 0)]
        #expect(try InvoiceChoice.choose(among: one, named: nil, clientName: "Ada").number == "1042")
        let several = [invoice("1042", .awaitingPayment, cents: 46_000), invoice("1043", .pastDue, cents: 123_456)]
        #expect(throws: InvoiceChoiceError.self) { try InvoiceChoice.choose(among: several, named: nil, clientName: "Ada") }
        #expect(
            InvoiceChoiceError.severalOpen(
                clientName: "Ada", open: ["#1042 (awaiting payment, $460.00 due)", "#1043 (past due, $1,234.56 due)"]
            )
            .description
                == "Ada has 2 open invoices; say which one to charge: #1042 (awaiting payment, $460.00 due), #1043 (past due, $1,234.56 due)."
        )
        #expect(try InvoiceChoice.choose(among: several, named: "1043", clientName: "Ada").number == "1043")
        #expect(throws: InvoiceChoiceError.self) { try InvoiceChoice.choose(among: several, named: "9999", clientName: "Ada") }
        #expect(throws: InvoiceChoiceError.nothingOpen(clientName: "Ada")) {
            try InvoiceChoice.choose(among: [], named: nil, clientName: "Ada")
        }
    }
}
