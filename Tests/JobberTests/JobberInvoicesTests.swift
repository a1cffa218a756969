import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Invoice, quote and payment queries read into snapshots, over real HTTP against the Jobber
/// simulator (Jobber's schema names, its seeded account), so a query Jobber would reject fails.
@Suite("Jobber invoice queries")
struct JobberInvoicesTests {
    static let ada = Seed.IDs.ada.value

    @Test func anInvoiceIsReadWithExactMoney() async throws {
        let jobber = try await SimulatedJobber.start()
        let invoice = try await jobber.invoices.invoice(id: Seed.IDs.invoice(1042).value)
        await jobber.stop()
        #expect(invoice.number == "1042")
        #expect(invoice.status == .awaitingPayment)
        #expect(invoice.total.minorUnits == 46_000)
        #expect(invoice.balance.minorUnits == 460)  // 460.0 − 455.4 sent as the Float 4.6, read exactly
        #expect(invoice.clientName == "Ada Lovelace")
    }

    /// Reconcile asks for small pages (Jobber charges for every node a page could hold) and
    /// follows an invoice that has more: a marker in the 23rd note is still found.
    @Test func reconcileReadsEveryNoteOfAnInvoiceInSmallPages() async throws {
        let jobber = try await SimulatedJobber.start()
        let notes = (1...25).map { $0 == 23 ? "Paid $5.00 by card [posplus PMARKER000000023]" : "Call before arriving (\($0))" }
        let planted = jobber.simulator.plantInvoice(totalCents: 10_000, notes: notes)
        let few = jobber.simulator.plantInvoice(totalCents: 2_000, notes: ["Paid by card [posplus PFEW000000000001]"])
        let before = jobber.simulator.stats.graphQLRequests
        let view = try await jobber.invoices.reconcileView(invoiceID: planted.id)
        let afterMany = jobber.simulator.stats.graphQLRequests
        let small = try await jobber.invoices.reconcileView(invoiceID: few.id)
        let afterFew = jobber.simulator.stats.graphQLRequests
        await jobber.stop()
        #expect(view.notes.count == 25 && view.markedReferences == ["PMARKER000000023"])
        #expect(afterMany - before == 2, "a first page of ten, then the rest")
        #expect(small.markedReferences == ["PFEW000000000001"] && afterFew - afterMany == 1, "one query for an invoice with few notes")
        #expect(view.invoice.total.minorUnits == 10_000)
    }

    /// The front desk finds a bill by the name the customer gives; a number Jobber does not have
    /// is "not found", not a reply posplus cannot read.
    @Test func invoicesAreFoundByClientNameAndAMissingOneIsNotFound() async throws {
        let jobber = try await SimulatedJobber.start()
        let grace = try await jobber.invoices.search("hopper")
        let nobody = try await jobber.invoices.search("nobody by that name")
        await #expect(throws: JobberError.notFound("invoice #9999")) { try await jobber.invoices.invoice(number: "9999") }
        await #expect(throws: JobberError.notFound("quote with id nope")) { try await jobber.invoices.quote(id: "nope") }
        await jobber.stop()
        #expect(Set(grace.map(\.number)) == ["1050", "1051"])
        #expect(grace.allSatisfy { $0.clientName == "Grace Hopper" })
        #expect(nobody.isEmpty)
        #expect(JobberError.notFound("invoice #9999").description == "Jobber has no invoice #9999.")
    }

    @Test func moneyEdgeCasesFromJobbersFloatsAreExact() async throws {
        let jobber = try await SimulatedJobber.start()
        let large = try await jobber.invoices.invoice(number: "1050")
        let tiny = try await jobber.invoices.invoice(number: "1051")
        let cents = try await jobber.invoices.invoice(number: "1043")
        await jobber.stop()
        #expect(large.total.minorUnits == 99_999_999)  // 999999.99
        #expect(tiny.balance.minorUnits == 10)  // 0.1
        #expect(cents.balance.minorUnits == 123_456)  // 1234.56
    }

    @Test func byNumberClientInvoicesQuoteAndPayments() async throws {
        let jobber = try await SimulatedJobber.start()
        let invoices = jobber.invoices
        #expect(try await invoices.invoice(number: "1043").status == .pastDue)
        let open = try await invoices.openInvoices(clientID: Self.ada)
        #expect(open.map(\.number) == ["1043", "1042", "1044"])  // open only, oldest due first
        let quote = try await invoices.quote(id: Seed.IDs.quote(77).value)
        #expect(quote.total.minorUnits == 99_999_999)
        #expect(quote.depositAmount.minorUnits == 15_000)
        #expect(quote.outstandingDeposit.minorUnits == 10)
        #expect(quote.status == .approved)
        #expect(try await invoices.paymentRecords(invoiceID: Seed.IDs.invoice(1042).value).map(\.amount.minorUnits) == [45_540])
        await #expect(throws: JobberError.self) { try await invoices.invoice(number: "9999") }
        await jobber.stop()
    }

    @Test func aQueryJobberWouldRejectIsRejectedHere() async throws {
        let jobber = try await SimulatedJobber.start()
        await #expect {
            try await jobber.graphQL.execute("query { invoice(id: \"x\") { amounts { balance } } }")
        } throws: { "\($0)".contains("balance") }
        await #expect(throws: JobberError.self) {  // `id` is an EncodedId!, not an ID!
            try await jobber.graphQL.execute("query Q($id: ID!) { invoice(id: $id) { id } }", variables: ["id": .string("x")])
        }
        await jobber.stop()
    }

    @Test func everyGuardRefusalIsExplainedOnSeededInvoices() async throws {
        let jobber = try await SimulatedJobber.start()
        let invoices = jobber.invoices
        func refusal(_ number: String, _ cents: Int64, _ intent: ProposedCharge.Intent = .fullBalance) async throws -> String? {
            let invoice = try await invoices.invoice(number: number)
            do {
                try ChargeGuard(limits: ChargeLimits(maximum: Money(minorUnits: 5_000_000, currency: .usd)))
                    .check(ProposedCharge(amount: Money(minorUnits: cents, currency: .usd), intent: intent), against: invoice)
                return nil
            } catch { return error.description }
        }
        #expect(try await refusal("1041", 25_000) == "Invoice #1041 is still a draft in Jobber — send it before charging.")
        #expect(try await refusal("1045", 12_000) == "Invoice #1045 is already paid in Jobber; there is nothing to charge.")
        #expect(try await refusal("1046", 7_500) == "Invoice #1046 is marked as bad debt in Jobber; reopen it there before charging.")
        #expect(try await refusal("1042", 461) == "$4.61 is more than the $4.60 still owed on invoice #1042.")
        #expect(
            try await refusal("1043", 12_345)
                == "$123.45 is not the $1,234.56 owed on invoice #1043; say it is a partial payment or a deposit if that is meant.")
        #expect(try await refusal("1043", 12_345, .partial) == nil)
        #expect(try await refusal("1042", 460) == nil)
        #expect(try await refusal("1044", 0) == "A charge must be more than zero, not $0.00.")
        #expect(try await refusal("1050", 99_999_999) == "$999,999.99 is above the largest charge allowed ($50,000.00); ask a manager.")
        let open = try await invoices.openInvoices(clientID: Self.ada)
        #expect {
            try InvoiceChoice.choose(among: open, named: nil, clientName: "Ada Lovelace")
        } throws: { "\($0)".contains("Ada Lovelace has 3 open invoices") && "\($0)".contains("#1043 (past due, $1,234.56 due)") }
        let bakery = try await invoices.openInvoices(clientID: Seed.IDs.bakery.value)
        #expect(try InvoiceChoice.choose(among: bakery, named: nil, clientName: "Bletchley Bakery").number == "1060")
        await jobber.stop()
    }

    // Malformed replies cannot come from the simulator (it serialises real values), so these
    // two use a scripted server that sends exactly the bytes under test.
    func invoices(_ server: LocalHTTPServer) -> JobberInvoices<ContinuousClock> {
        let tokens = JobberTokens(accountID: "a", accessToken: Secret("t"), refreshToken: Secret("r"), expiresAt: .distantFuture)
        let store = MemoryTokenStore(tokens)
        let manager = JobberTokenManager(store: store) { (old: JobberTokens) async throws(JobberError) -> JobberTokens in old }
        let client = JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: "2025-04-16", tokens: manager,
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")), clock: ContinuousClock(), logger: Logger(label: "t"))
        return JobberInvoices(client: client, currency: .usd)
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
