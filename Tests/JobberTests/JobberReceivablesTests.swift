import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import PosPlusCore
import Testing

/// What the forecast reads from Jobber — open invoices of any age and the last year's, with
/// dates and every payment record — over real HTTP against the Jobber simulator, so a field,
/// filter or paging argument Jobber's schema lacks fails here.
@Suite("Jobber receivables query")
struct JobberReceivablesTests {
    @Test func openAndRecentInvoicesAreReadOnceEachWithEveryPaymentAndTheirDates() async throws {
        let jobber = try await SimulatedJobber.start()
        for _ in 0..<7 { _ = await jobber.simulator.recordPayment(invoice: Seed.IDs.invoice(1043), cents: 1_000) }
        // 55 more awaiting payment: that status needs two pages of 50.
        let planted = (0..<55).map { _ in jobber.simulator.plantInvoice(totalCents: 1_234, at: SimulatedJobber.epoch) }
        let before = jobber.simulator.stats.graphQLRequests
        let read = try await jobber.invoices.receivables(issuedAfter: SimulatedJobber.epoch.addingTimeInterval(-366 * 86_400))
        let requests = jobber.simulator.stats.graphQLRequests - before
        await jobber.stop()

        let numbers = read.map(\.invoice.number)
        #expect(Set(numbers).count == numbers.count, "each invoice once")
        #expect(Set(numbers) == Set(["1042", "1043", "1044", "1045", "1046", "1050", "1051", "1060"] + planted.map(\.number)))
        let pastDue = try #require(read.first { $0.invoice.number == "1043" })
        #expect(pastDue.paymentRecords.count == 7, "five with the invoice, the rest on a second page")
        #expect(pastDue.paymentRecords.allSatisfy { $0.amount == Money(minorUnits: 1_000, currency: .usd) })
        #expect(pastDue.invoice.balance.minorUnits == 123_456 - 7_000)
        #expect(pastDue.issuedDate != nil && pastDue.dueDate != nil)
        #expect(try #require(pastDue.dueDate) < (try #require(pastDue.issuedDate)).addingTimeInterval(30 * 86_400))
        let paid = try #require(read.first { $0.invoice.number == "1045" })
        #expect(paid.invoice.status == .paid && paid.paymentRecords.map(\.amount.minorUnits) == [12_000])
        #expect(paid.paymentRecords.allSatisfy { JobberDate.parse($0.entryDate) != nil })
        // awaiting_payment 2 pages, past_due 1 (+1 for #1043's other records), sent_not_due 1, issued this year 2.
        #expect(requests == 7)
    }

    @Test func jobberDatesAreReadWithOrWithoutATime() throws {
        #expect(JobberDate.parse("2021-08-12T16:31:36-06:00") == Date(timeIntervalSince1970: 1_628_807_496))
        #expect(JobberDate.parse("2021-08-12") == Date(timeIntervalSince1970: 1_628_769_600))
        #expect(JobberDate.parse("12/08/2021") == nil)
        #expect(try JobberDate.read(.null, field: "dueDate") == nil)
        #expect(throws: JobberError.malformedResponse("invoices.dueDate must be an ISO 8601 date, not \"soon\"")) {
            try JobberDate.read(.string("soon"), field: "invoices.dueDate")
        }
    }
}
