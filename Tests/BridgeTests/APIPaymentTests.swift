import Bridge
import Foundation
import HTTPClient
import JobberSimulator
import Ledger
import PosPlusCore
import Server
import TestSupport
import Testing

/// Money through the staff API, end to end: the real server on 127.0.0.1, the PAX simulator as
/// the counter terminal, the Jobber simulator, the ledger file. Each test checks the ledger, the
/// terminal's log and Jobber's note, not only the answer.
@Suite("Staff API: charges, declines, refunds, voids, saved cards", .timeLimit(.minutes(2)))
struct APIPaymentTests {
    static let ada = Seed.IDs.ada.value

    @Test func aChargeIsApprovedRecordedAsThePersonAndNotedInJobberAndItsKeyChargesOnce() async throws {
        let world = try await APIWorld.start()
        let fred = try await world.login("fred")
        let headers = [("Cookie", fred.cookie), ("X-CSRF-Token", fred.csrf), ("Idempotency-Key", "desk-1043")]
        let body = #"{"invoice":"1043","terminal":"front-desk"}"#
        let charged = try await world.send(.post, "/api/charges", headers: headers, json: body)
        #expect(charged.status == 200, "\(charged.text)")
        let payment = try APIWorld.payment(charged)
        #expect(payment["state"] as? String == "approved" && APIWorld.minor(payment["captured"]) == 123_456)
        #expect(payment["operator"] as? String == "fred" && payment["idempotencyKey"] as? String == "desk-1043")
        #expect((payment["summary"] as? String)?.hasPrefix("Sale of $1,234.56 on invoice #1043: approved on ") == true)
        let id = try #require((payment["id"] as? NSNumber)?.int64Value)

        // The same request again (a double click, a reload): the same payment, no second charge.
        let again = try await world.send(.post, "/api/charges", headers: headers, json: body)
        #expect(again.status == 200 && again.text == charged.text)
        #expect(world.terminal.terminal.log.count == 1)
        // The same key for something else is refused, naming the payment.
        let other = try await world.send(.post, "/api/charges", headers: headers, json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        #expect(other.status == 409 && APIWorld.error(other)?.code == "idempotency_key_reused")
        #expect(world.terminal.terminal.log.count == 1)

        let ledger = try world.ledger
        #expect(try ledger.payments().map(\.id) == [id])
        let events = try ledger.auditEvents(paymentID: id)
        #expect(!events.isEmpty && events.allSatisfy { $0.actor == "fred" }, "\(events.map { "\($0.kind) by \($0.actor)" })")
        #expect(events.map(\.kind).contains("payment.begin"))

        #expect(try await world.app.outboxWorker().runDueJobs() == 1)
        let notes = world.jobber.notes(invoiceNumber: "1043").filter { $0.message.contains("[posplus ") }
        #expect(notes.count == 1)
        #expect(notes.first?.message.hasPrefix("Paid $1,234.56 by sale at the counter") == true)
        #expect(notes.first?.message.contains("taken by fred") == true, "\(notes.first?.message ?? "")")
        await world.stop()
    }

    @Test func aDeclinedCardIsA402WithASentenceAndTheRecordedPayment() async throws {
        let world = try await APIWorld.start()
        let declined = try await world.send(
            as: "fred", .post, "/api/charges", key: "decline-1",
            json: #"{"invoice":"1043","terminal":"front-desk","amount":{"decimal":"20.01","currency":"USD"},"intent":"partial"}"#)
        #expect(declined.status == 402, "\(declined.text)")
        let error = try #require(APIWorld.error(declined))
        #expect(error.code == "declined")
        #expect(error.message.hasPrefix("The sale of $20.01 on invoice #1043 was declined"))
        #expect(error.message.hasSuffix(". Nothing was charged. Ask for another card or another way to pay."), "\(error.message)")
        #expect(try APIWorld.payment(declined)["state"] as? String == "declined")
        #expect(try world.ledger.payments().map(\.state) == [.declined])
        #expect(try await world.app.outboxWorker().runDueJobs() == 0, "no Jobber note for a decline")
        await world.stop()
    }

    @Test func aPaymentIsRefundedInPartThenInFullAnotherVoidedAndBothListedForToday() async throws {
        let world = try await APIWorld.start()
        let sale = try await world.send(
            as: "fred", .post, "/api/charges", key: "c-1043", json: #"{"invoice":"1043","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        let refund = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "r-1", json: #"{"amount":{"minorUnits":23456,"currency":"USD"}}"#)
        #expect(refund.status == 200, "\(refund.text)")
        let refunded = try APIWorld.payment(refund)
        #expect(refunded["operation"] as? String == "refund" && refunded["state"] as? String == "approved")
        #expect(APIWorld.minor(refunded["captured"]) == 23_456 && refunded["originalPaymentID"] as? NSNumber == NSNumber(value: saleID))
        let shown = try APIWorld.object(try await world.send(as: "meg", .get, "/api/payments/\(saleID)"))
        #expect(shown["state"] as? String == "partiallyRefunded" && APIWorld.minor(shown["refunded"]) == 23_456)
        #expect((shown["attempts"] as? [Any])?.count == 1)
        let rest = try await world.send(as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "r-2")
        #expect(try rest.status == 200 && APIWorld.minor(APIWorld.payment(rest)["captured"]) == 100_000, "the rest: \(rest.text)")
        let whole = try APIWorld.object(try await world.send(as: "meg", .get, "/api/payments/\(saleID)"))
        #expect(whole["state"] as? String == "refunded" && APIWorld.minor(whole["refunded"]) == 123_456)

        let other = try await world.send(
            as: "fred", .post, "/api/charges", key: "c-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let otherID = try #require((try APIWorld.payment(other)["id"] as? NSNumber)?.int64Value)
        let void = try await world.send(as: "fred", .post, "/api/payments/\(otherID)/void", key: "v-1")
        #expect(try void.status == 200 && APIWorld.payment(void)["operation"] as? String == "void", "\(void.text)")
        let again = try await world.send(as: "fred", .post, "/api/payments/\(otherID)/void", key: "v-2")
        #expect(again.status == 409 || again.status == 422, "a void of a voided payment is refused: \(again.text)")
        #expect(world.terminal.terminal.log.count == 5)

        let today = try APIWorld.object(try await world.send(as: "fred", .get, "/api/payments?day=today"))
        #expect((today["payments"] as? [Any])?.count == 5)
        let given = try APIWorld.object(
            try await world.send(as: "fred", .get, "/api/payments?day=today&state=voided&state=refunded"))
        #expect(
            Set(((given["payments"] as? [[String: Any]]) ?? []).compactMap { $0["state"] as? String }) == [
                "voided", "refunded",
            ])
        let yesterday = try APIWorld.object(try await world.send(as: "fred", .get, "/api/payments?day=2026-11-30"))
        #expect((yesterday["payments"] as? [Any])?.isEmpty == true)
        await world.stop()
    }

    /// A partly refunded sale cannot be voided: the answer says so in words and what to do
    /// instead, and nothing reaches the terminal.
    @Test func aPartlyRefundedSaleIsNotVoidedAndTheAnswerSaysToRefundTheRest() async throws {
        let world = try await APIWorld.start()
        let sale = try await world.send(
            as: "fred", .post, "/api/charges", key: "s-1044", json: #"{"invoice":"1044","terminal":"front-desk"}"#)
        let saleID = try #require((try APIWorld.payment(sale)["id"] as? NSNumber)?.int64Value)
        let part = try await world.send(
            as: "fred", .post, "/api/payments/\(saleID)/refunds", key: "r-part", json: #"{"amount":{"decimal":"10.00","currency":"USD"}}"#)
        #expect(part.status == 200, "\(part.text)")
        let void = try await world.send(as: "fred", .post, "/api/payments/\(saleID)/void", key: "v-late")
        #expect(void.status == 422 && APIWorld.error(void)?.code == "refused", "\(void.text)")
        #expect(
            APIWorld.error(void)?.message
                == "Payment \(saleID) has already been partly refunded, so it can no longer be voided. To give back the rest, refund it.")
        #expect(world.terminal.terminal.log.count == 2, "the sale and the refund; no void was sent")
        #expect(try world.ledger.payments().filter { $0.operation == .void }.isEmpty)
        await world.stop()
    }

    /// The terminal took the card but its answer never came: 202 `in_doubt`, and the same
    /// request again looks the payment up on the terminal instead of charging a second time.
    @Test func aLostAnswerIsInDoubtAndTheSameKeyFindsItWithoutChargingAgain() async throws {
        let world = try await APIWorld.start(frontDesk: "response_timeout_s = 1")
        world.terminal.inject(.ackThenSilence)
        let body = #"{"invoice":"1060","terminal":"front-desk"}"#
        let lost = try await world.send(as: "fred", .post, "/api/charges", key: "lost-1060", json: body)
        #expect(lost.status == 202, "\(lost.text)")
        #expect(APIWorld.error(lost)?.code == "in_doubt")
        #expect(APIWorld.error(lost)?.message.contains("Do not try again with a new key") == true)
        #expect(try APIWorld.payment(lost)["state"] as? String == "unknown")
        let newKey = try await world.send(as: "fred", .post, "/api/charges", key: "impatient", json: body)
        #expect(newKey.status == 409, "the invoice is held while a payment on it is in doubt: \(newKey.text)")

        let found = try await world.send(as: "fred", .post, "/api/charges", key: "lost-1060", json: body)
        #expect(found.status == 200, "\(found.text)")
        #expect(try APIWorld.payment(found)["state"] as? String == "approved")
        #expect(world.terminal.terminal.log.count == 1, "looked up, never charged twice")
        await world.stop()
    }

    /// A terminal that cannot be reached: 503 saying nothing was charged; the key's payment is
    /// then abandoned, and the same key says so (409) rather than trying again unasked.
    @Test func anUnreachableTerminalChargesNothingAndSaysSo() async throws {
        let off = UnlistenedPort()
        let world = try await APIWorld.start(
            extra: """
                [terminals.back-office]
                driver = "pax"
                connection = "tcp"
                host = "127.0.0.1"
                port = \(off.port)
                connect_timeout_ms = 500
                """)
        let body = #"{"invoice":"1044","terminal":"back-office"}"#
        let down = try await world.send(as: "fred", .post, "/api/charges", key: "down-1", json: body)
        #expect(down.status == 503 && APIWorld.error(down)?.code == "terminal_unreachable", "\(down.text)")
        #expect(APIWorld.error(down)?.message.hasSuffix("nothing was charged.") == true)
        let again = try await world.send(as: "fred", .post, "/api/charges", key: "down-1", json: body)
        #expect(again.status == 409 && APIWorld.error(again)?.code == "abandoned", "\(again.text)")
        #expect(try world.ledger.payments().map(\.state) == [.abandoned])
        await world.stop()
    }

    @Test func aCardIsSavedOnTheTerminalChargedListedAndRemoved() async throws {
        let world = try await APIWorld.start()
        let saved = try await world.send(
            as: "fred", .post, "/api/cards", key: "save-ada", json: #"{"client":"\#(Self.ada)","terminal":"front-desk"}"#)
        #expect(saved.status == 200, "\(saved.text)")
        let card = try #require(try APIWorld.object(saved)["card"] as? [String: Any])
        let cardID = try #require((card["id"] as? NSNumber)?.int64Value)
        #expect(card["clientID"] as? String == Self.ada && (card["last4"] as? String)?.count == 4)

        let listed = try APIWorld.object(try await world.send(as: "fred", .get, "/api/cards?client=\(Self.ada)"))
        #expect((listed["cards"] as? [[String: Any]])?.map { $0["id"] as? NSNumber } == [NSNumber(value: cardID)])
        let charged = try await world.send(
            as: "fred", .post, "/api/charges", key: "saved-1044",
            json: #"{"invoice":"1044","method":"savedCard","cardID":\#(cardID),"terminal":"front-desk"}"#)
        #expect(charged.status == 200, "\(charged.text)")
        #expect(try APIWorld.payment(charged)["operation"] as? String == "tokenSale")

        let removed = try await world.send(as: "fred", .delete, "/api/cards/\(cardID)")
        #expect(removed.status == 200)
        let after = try APIWorld.object(try await world.send(as: "fred", .get, "/api/cards?client=\(Self.ada)"))
        #expect((after["cards"] as? [Any])?.isEmpty == true)
        #expect(try await world.send(as: "fred", .delete, "/api/cards/999").status == 404)
        #expect(try world.ledger.auditEvents().contains { $0.kind == "card.remove" && $0.actor == "fred" })
        await world.stop()
    }

    /// Bad input is a 4xx whose sentence names the problem, and nothing reaches the terminal.
    @Test func badInputIsRefusedNamingTheProblemBeforeAnythingIsSent() async throws {
        let world = try await APIWorld.start()
        func refusal(_ body: String, key: String = "bad") async throws -> (Int, String, String) {
            let answer = try await world.send(as: "fred", .post, "/api/charges", key: key, json: body)
            return (answer.status, APIWorld.error(answer)?.code ?? "", APIWorld.error(answer)?.message ?? answer.text)
        }
        let cases: [(String, Int, String, String)] = [
            (
                #"{"invoice":"1043","terminal":"front-desk","amount":{"decimal":"12,00","currency":"USD"},"intent":"partial"}"#, 400,
                "invalid_amount", #""12,00" is not an amount"#
            ),
            (
                #"{"invoice":"1043","terminal":"front-desk","amount":{"minorUnits":12.5,"currency":"USD"},"intent":"partial"}"#, 400,
                "invalid_amount", "must be a whole number of minor units"
            ),
            (
                #"{"invoice":"1043","terminal":"front-desk","amount":{"minorUnits":1000,"currency":"EUR"},"intent":"partial"}"#, 400,
                "invalid_currency", "takes payments in USD, not EUR"
            ),
            (
                #"{"invoice":"1043","terminal":"front-desk","amount":{"minorUnits":1000,"currency":"XXX"},"intent":"partial"}"#, 400,
                "invalid_currency", #""XXX" is not a currency"#
            ),
            (
                #"{"invoice":"1043","terminal":"front-desk","ammount":{"minorUnits":1000,"currency":"USD"}}"#, 400, "unknown_field",
                #""ammount" is not a field here"#
            ),
            (#"{"invoice":"9999","terminal":"front-desk"}"#, 404, "not_found", "Jobber has no invoice #9999."),
            (#"{"invoice":"1041","terminal":"front-desk"}"#, 422, "charge_refused", "Invoice #1041 is still a draft in Jobber"),
            (#"{"invoice":"1043","terminal":"front-desk","amount":{"minorUnits":1000,"currency":"USD"}}"#, 422, "charge_refused", ""),
            (#"{"invoice":"1043","terminal":"back-room"}"#, 404, "unknown_terminal", #"No terminal named "back-room""#),
            (#"{"invoice":"1043"}"#, 400, "terminal_required", "Name the terminal the customer is at"),
            (#"{"terminal":"front-desk"}"#, 400, "invalid_request", "Name the invoice"),
            ("[1,2]", 400, "invalid_request", ""),
        ]
        for (index, (body, status, code, words)) in cases.enumerated() {
            let (gotStatus, gotCode, message) = try await refusal(body, key: "bad-\(index)")
            #expect(gotStatus == status && gotCode == code, "\(body): \(gotStatus) \(gotCode) \(message)")
            #expect(words.isEmpty || message.contains(words), "\(body): \(message)")
            #expect(!message.contains("Error(") && !message.contains("Swift."), "no internals: \(message)")
        }
        let form = try await world.http.send(
            HTTPRequest(
                .post, world.server.baseURL + "/api/charges",
                headers: [
                    ("Authorization", "Bearer \(world.tokens["fred"] ?? "")"), ("Idempotency-Key", "form"),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ], body: Array("invoice=1043&terminal=front-desk".utf8)))
        #expect(form.status == 415 && APIWorld.error(form)?.code == "json_required")
        #expect(world.terminal.terminal.log.isEmpty)
        #expect(try world.ledger.payments().isEmpty)
        await world.stop()
    }
}
