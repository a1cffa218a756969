import Foundation
import Hummingbird
import PosPlusCore

/// `/_admin`: how tests, the demo and a person at a terminal change the simulated account.
/// Every change answers with the webhooks it sent and how the receiver answered each.
///
/// | route | body | effect |
/// |---|---|---|
/// | `POST /_admin/invoices/{number}/status` | `{"status":"paid"}` | INVOICE_UPDATE |
/// | `POST /_admin/invoices/{number}/payments` | `{"amount":"12.34"}` | PAYMENT_CREATE, INVOICE_UPDATE |
/// | `GET /_admin/invoices/{number}/notes` | | the invoice's notes, newest first |
/// | `POST /_admin/tokens/expire` | | every access token gets 401 from now on |
/// | `POST /_admin/throttle` | `{"available":0,"restoreRate":500}` | sets the cost bucket |
/// | `POST /_admin/disconnect` | | tokens revoked, APP_DISCONNECT |
/// | `POST /_admin/webhooks` | `{"url":"http://…"}` | where webhooks go |
/// | `POST /_admin/webhooks/send` | `{"topic":"…","itemId":"…"}` | sends one event as given |
/// | `POST /_admin/schema` | `{"offersPaymentRecords":true}` | adds `invoiceCreatePaymentRecord` |
/// | `GET /_admin/stats` | | requests, throttles, 401s, token refreshes |
extension JobberSimulator {
    struct StatusChange: Decodable { var status: InvoiceStatusTypeEnum }
    struct PaymentEntry: Decodable { var amount: String }
    struct ThrottleSetting: Decodable {
        var available: Int
        var restoreRate: Int?
    }
    struct WebhookTarget: Decodable { var url: String? }
    struct WebhookEvent: Decodable {
        var topic: String
        var itemId: String
    }
    struct SchemaSetting: Decodable { var offersPaymentRecords: Bool }

    func addAdminRoutes(to router: Router<BasicRequestContext>) {
        let admin = router.group("_admin")
        admin.post("invoices/{number}/status") { request, context in
            let change = try await request.decode(as: StatusChange.self, context: context)
            let id = try self.invoiceID(context)
            return Self.deliveries(await self.setStatus(invoice: id, change.status))
        }
        admin.post("invoices/{number}/payments") { request, context in
            let entry = try await request.decode(as: PaymentEntry.self, context: context)
            let id = try self.invoiceID(context)
            let cents: Int64
            do { cents = try Money(parsing: entry.amount, currency: .usd).minorUnits } catch {
                throw HTTPError(.badRequest, message: "amount: \(error)")
            }
            guard cents > 0, let sent = await self.recordPayment(invoice: id, cents: cents) else {
                throw HTTPError(.badRequest, message: "amount must be positive")
            }
            return Self.deliveries(sent)
        }
        admin.get("invoices/{number}/notes") { _, context in
            let notes = self.notes(invoiceNumber: try context.parameters.require("number"))
            let items = notes.map { #"{"id":\#(JSONText.quote($0.id)),"message":\#(JSONText.quote($0.message)),"pinned":\#($0.pinned)}"# }
            return Self.json(200, #"{"notes":[\#(items.joined(separator: ","))]}"#)
        }
        admin.post("tokens/expire") { _, _ in
            self.expireAccessTokens()
            return Self.json(200, "{}")
        }
        admin.post("throttle") { request, context in
            let setting = try await request.decode(as: ThrottleSetting.self, context: context)
            self.setThrottle(available: setting.available, restoreRate: setting.restoreRate)
            return Self.json(200, "{}")
        }
        admin.post("disconnect") { _, _ in Self.deliveries(await self.disconnect()) }
        admin.post("webhooks") { request, context in
            self.setWebhookURL(try await request.decode(as: WebhookTarget.self, context: context).url)
            return Self.json(200, "{}")
        }
        admin.post("webhooks/send") { request, context in
            let event = try await request.decode(as: WebhookEvent.self, context: context)
            return Self.deliveries(await self.sendWebhook(topic: event.topic, itemID: event.itemId))
        }
        admin.post("schema") { request, context in
            self.setOffersPaymentRecords(try await request.decode(as: SchemaSetting.self, context: context).offersPaymentRecords)
            return Self.json(200, "{}")
        }
        admin.get("stats") { _, _ in
            Self.json(200, String(decoding: try JSONEncoder().encode(self.stats), as: UTF8.self))
        }
    }

    private func invoiceID(_ context: BasicRequestContext) throws -> EncodedId {
        let number = try context.parameters.require("number")
        guard let invoice = world.invoices.first(where: { $0.invoiceNumber == number }) else {
            throw HTTPError(.notFound, message: "no invoice #\(number)")
        }
        return invoice.id
    }

    private static func deliveries(_ sent: [WebhookDelivery]) -> Response {
        let items = sent.map { #"{"topic":\#(JSONText.quote($0.topic)),"itemId":\#(JSONText.quote($0.itemID)),"status":\#($0.status)}"# }
        return json(200, #"{"deliveries":[\#(items.joined(separator: ","))]}"#)
    }
}
