import Foundation
import HTTPClient
import Jobber
import JobberSimulator
import JobberTestSupport
import PosPlusCore
import Testing

/// Query cost by Jobber's published rule, computed from the query text, checked against the
/// simulator (which applies the same rule with a real GraphQL parser), and the throttling it
/// drives: a query is sent only when Jobber's bucket holds its cost.
@Suite("Jobber query cost")
struct JobberQueryCostTests {
    @Test func theRuleCountsFieldsAndMultipliesConnectionsByFirst() {
        // 1 (invoices) + 50 × (id, invoiceNumber, invoiceStatus, amounts{2}, client{2}) = 451
        let open = """
            query ClientInvoices($client: EncodedId!) { invoices(first: 50, filter: { clientId: $client }, \
            sort: [{ key: DUE_DATE, direction: ASCENDING }]) { nodes { id invoiceNumber invoiceStatus \
            amounts { total invoiceBalance } client { id name } } } }
            """
        #expect(GraphQLQueryCost.requested(open, variables: ["client": .string("x")]) == 451)
        // No `first`: Jobber assumes 100 nodes.
        #expect(GraphQLQueryCost.requested("{ invoices { nodes { id } } }") == 101)
        // `first` from a variable; aliases, comments and strings with braces in them do not count.
        #expect(
            GraphQLQueryCost.requested(
                "query P($n: Int = 5) { a: invoices(first: $n, searchTerm: \"{ x }\") { edges { node { id } } } } # { y }",
                variables: ["n": .number("20")]) == 21)
        // Nested connections multiply; fragments cost what their fields cost; introspection is free.
        #expect(
            GraphQLQueryCost.requested(
                """
                query Q { clients(first: 10) { nodes { ...C invoices(first: 5) { nodes { id } } } } __type(name: "Q") { name } }
                fragment C on Client { id name }
                """) == 1 + 10 * (2 + 1 + 5 * 1))
        #expect(
            GraphQLQueryCost.requested(
                "mutation M { invoiceCreateNote(invoiceId: \"i\", input: { message: \"m\" }) { invoiceNote { id } userErrors { message path } } }"
            ) == 6)
        #expect(GraphQLQueryCost.requested("not graphql {") == nil)
    }

    @Test func theOpenInvoicesQueryIsEstimatedAt451AsJobberCountsIt() async throws {
        let jobber = try await SimulatedJobber.start()
        _ = try await jobber.invoices.openInvoices(clientID: Seed.IDs.ada.value)
        let cost = try #require(await jobber.graphQL.lastQueryCost)
        #expect(cost.estimated == 451)
        #expect(cost.reported == 451)
        await jobber.stop()
    }

    @Test func everyQueryPosplusSendsIsEstimatedAsTheSimulatorCharges() async throws {
        let jobber = try await SimulatedJobber.start()
        let invoices = jobber.invoices
        let writeBack = JobberWriteBack(client: jobber.graphQL)
        let note = WriteBackNote(
            invoiceID: Seed.IDs.invoice(1042).value, reference: "P00000000000C057", amount: Money(minorUnits: 100, currency: .usd),
            method: "card", card: nil, authCode: nil, operatorName: "ada", time: "2026-11-22T15:04:00Z")
        // The last request of each call is checked: a write-back ends with its note mutation,
        // and a second one with the notes query that finds the note.
        let calls: [(String, () async throws -> Void)] = [
            ("invoice by id", { _ = try await invoices.invoice(id: Seed.IDs.invoice(1042).value) }),
            ("invoice by number", { _ = try await invoices.invoice(number: "1042") }),
            ("open invoices", { _ = try await invoices.openInvoices(clientID: Seed.IDs.grace.value) }),
            ("quote", { _ = try await invoices.quote(id: Seed.IDs.quote(77).value) }),
            ("payment records", { _ = try await invoices.paymentRecords(invoiceID: Seed.IDs.invoice(1042).value) }),
            ("account", { _ = try await jobber.graphQL.execute("query Account { account { id name } }") }),
            (
                "write-back",
                {
                    let outcome = try await writeBack.write(note)
                    #expect(outcome == .noteCreated(recordedPayment: false))
                }
            ),
            (
                "write-back again",
                {
                    let outcome = try await writeBack.write(note)
                    #expect(outcome == .alreadyWritten)
                }
            ),
        ]
        for (name, call) in calls {
            try await call()
            let cost = try #require(await jobber.graphQL.lastQueryCost, "\(name)")
            #expect(cost.reported == cost.estimated, "\(name)")
        }
        await jobber.stop()
    }

    @Test func afterAThrottledReplyTheRetryWaitsForTheReportedCostAndIsNotRefusedAgain() async throws {
        let jobber = try await SimulatedJobber.start()
        jobber.simulator.setThrottle(available: 0)
        let open = try await jobber.invoices.openInvoices(clientID: Seed.IDs.ada.value)
        #expect(!open.isEmpty)
        #expect(jobber.simulator.stats.throttledRequests == 1)  // posplus could not know the bucket was empty…
        #expect(jobber.clock.sleeps == [.milliseconds(904)])  // …then waited for 451 points (+1 headroom) at 500 a second, once
        await jobber.stop()
    }

    @Test func aBurstOfQueriesWaitsForTheBucketInsteadOfBeingRefused() async throws {
        let jobber = try await SimulatedJobber.start()
        // Two callers at once, 2 × 15 × 451 points: more than the 10,000 the bucket holds.
        let invoices = jobber.invoices
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<15 { _ = try await invoices.openInvoices(clientID: Seed.IDs.ada.value) }
                }
            }
            try await group.waitForAll()
        }
        // Two callers share one test clock whose sleeps return at once, so their waits can
        // overlap in ways real time would not; at most one refusal slips through, and it is
        // retried (every query above succeeded).
        #expect(jobber.simulator.stats.throttledRequests <= 1)
        #expect(!jobber.clock.sleeps.isEmpty)  // it waited on the clock before sending instead
        await jobber.stop()
    }
}
