import Foundation
import HTTPClient
import Jobber
import Logging
import PosPlusCore
import TestSupport
import Testing

/// Write-back over real HTTP against a scripted stand-in for Jobber that keeps the invoice's
/// notes, so "exactly once" is checked by what the server ends up holding.
@Suite("Jobber write-back: exactly once")
struct JobberWriteBackTests {
    final class FakeJobber: @unchecked Sendable {
        private let lock = NSLock()
        var notes: [String] = []
        var creates = 0
        var introspections = 0
        var paymentRecords: [String] = []
        var supportsPaymentRecords = false
        var userError: String?

        func handle(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Reply {
            let body: String = lock.withLock {
                let text = request.text
                if text.contains("query Notes(") {
                    let nodes = notes.enumerated().map { #"{"id":"N\#($0.offset)","message":\#(JSONValue.string($0.element).serialized)}"# }
                    return #"{"data":{"invoice":{"notes":{"nodes":[\#(nodes.joined(separator: ","))]}}}}"#
                }
                if text.contains("mutation WriteBack(") {
                    if let userError {
                        return
                            #"{"data":{"invoiceCreateNote":{"invoiceNote":null,"userErrors":[{"message":"\#(userError)","path":["message"]}]}}}"#
                    }
                    creates += 1
                    let json = try! JSONValue.parse(request.body)
                    notes.append(json["variables"]?["message"]?.string ?? "")
                    return #"{"data":{"invoiceCreateNote":{"invoiceNote":{"id":"N\#(notes.count)"},"userErrors":[]}}}"#
                }
                if text.contains("query Mutations") {
                    introspections += 1
                    let extra = supportsPaymentRecords ? #",{"name":"invoiceCreatePaymentRecord"}"# : ""
                    return #"{"data":{"__type":{"fields":[{"name":"invoiceCreateNote"}\#(extra)]}}}"#
                }
                if text.contains("mutation RecordPayment(") {
                    let json = try! JSONValue.parse(request.body)
                    paymentRecords.append(json["variables"]?["input"]?["amount"]?.numberText ?? "")
                    return #"{"data":{"invoiceCreatePaymentRecord":{"paymentRecord":{"id":"P1"},"userErrors":[]}}}"#
                }
                return #"{"errors":[{"message":"unexpected request"}]}"#
            }
            return .respond(status: 200, body: Array(body.utf8))
        }
    }

    static func client(_ server: LocalHTTPServer, version: String = "2025-04-16") -> JobberGraphQLClient<ContinuousClock> {
        let tokens = JobberTokens(accountID: "a", accessToken: Secret("t"), refreshToken: Secret("r"), expiresAt: .distantFuture)
        let manager = JobberTokenManager(store: JobberClientTests.MemoryStore(tokens)) {
            (old: JobberTokens) async throws(JobberError) -> JobberTokens in old
        }
        return JobberGraphQLClient(
            endpoint: server.baseURL + "/api/graphql", apiVersion: version, tokens: manager,
            http: HTTPClient(clock: ContinuousClock(), logger: Logger(label: "t")), clock: ContinuousClock(), logger: Logger(label: "t"))
    }

    static let note = WriteBackNote(
        invoiceID: "SW52LzEwNDI=", reference: "P0000000000000A1", amount: Money(minorUnits: 46_000, currency: .usd), method: "card",
        card: "VISA •••• 4242", authCode: "123456", operatorName: "ada", time: "2026-11-22 15:04 UTC")

    @Test func theNoteSaysWhatStaffNeedAndCarriesTheMarker() {
        #expect(
            Self.note.message
                == "Paid $460.00 by card, VISA •••• 4242, auth 123456, taken by ada at 2026-11-22 15:04 UTC [posplus P0000000000000A1]")
    }

    @Test func aSecondAttemptFindsTheNoteInsteadOfWritingAnother() async throws {
        let jobber = FakeJobber()
        let server = try LocalHTTPServer(handler: jobber.handle)
        defer { server.stop() }
        let writeBack = JobberWriteBack(client: Self.client(server))
        #expect(try await writeBack.write(Self.note) == .noteCreated(recordedPayment: false))
        #expect(try await writeBack.write(Self.note) == .alreadyWritten)
        #expect(jobber.creates == 1)
        #expect(server.requests.contains { $0.text.contains("pinned: true") })
    }

    @Test func whereTheSchemaAllowsThePaymentIsRecordedTooAndIntrospectionIsCached() async throws {
        let jobber = FakeJobber()
        jobber.supportsPaymentRecords = true
        let server = try LocalHTTPServer(handler: jobber.handle)
        defer { server.stop() }
        let writeBack = JobberWriteBack(client: Self.client(server))
        #expect(try await writeBack.write(Self.note) == .noteCreated(recordedPayment: true))
        var second = Self.note
        second.reference = "P0000000000000A2"
        _ = try await writeBack.write(second)
        #expect(jobber.paymentRecords == ["460.00", "460.00"])  // exact decimal text, never a float
        #expect(jobber.introspections == 1)
    }

    @Test func userErrorsFailTheAttemptWithJobbersWords() async throws {
        let jobber = FakeJobber()
        jobber.userError = "Invoice is locked"
        let server = try LocalHTTPServer(handler: jobber.handle)
        defer { server.stop() }
        await #expect(throws: JobberError.graphQL(["Invoice is locked"])) {
            try await JobberWriteBack(client: Self.client(server)).write(Self.note)
        }
    }
}
