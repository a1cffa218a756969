import Foundation
import HTTPClient
import HTTPTypes
import Hummingbird

extension StripeSimulator {
    typealias Handler = @Sendable (_ form: FormFields, _ id: String?) async -> (Int, JSONValue)

    func addAPIRoutes(to router: Router<BasicRequestContext>) {
        post(router, "/v1/customers") { form, _ in self.createCustomer(form) }
        get(router, "/v1/customers/{id}") { _, id in self.retrieve(id, "customer") }
        post(router, "/v1/payment_methods") { form, _ in self.createPaymentMethod(form) }
        get(router, "/v1/payment_methods") { form, _ in self.listPaymentMethods(form) }
        get(router, "/v1/payment_methods/{id}") { _, id in self.retrieve(id, "payment_method") }
        post(router, "/v1/payment_methods/{id}/attach") { form, id in self.attach(id, form["customer"]) }
        post(router, "/v1/payment_methods/{id}/detach") { _, id in self.attach(id, nil) }
        post(router, "/v1/payment_intents") { form, _ in await self.createPaymentIntent(form) }
        get(router, "/v1/payment_intents") { form, _ in self.list("payment_intent", form, path: "/v1/payment_intents") }
        get(router, "/v1/payment_intents/{id}") { _, id in self.retrieve(id, "payment_intent") }
        post(router, "/v1/payment_intents/{id}/confirm") { form, id in await self.confirm(id, form) }
        post(router, "/v1/payment_intents/{id}/capture") { form, id in await self.capture(id, form) }
        post(router, "/v1/payment_intents/{id}/cancel") { form, id in await self.cancel(id, form) }
        post(router, "/v1/refunds") { form, _ in await self.createRefund(form) }
        get(router, "/v1/refunds") { form, _ in
            self.list("refund", form, path: "/v1/refunds") {
                form["payment_intent"] == nil || $0["payment_intent"]?.string == form["payment_intent"]
            }
        }
        post(router, "/v1/setup_intents") { form, _ in self.createSetupIntent(form) }
        post(router, "/v1/setup_intents/{id}/confirm") { form, id in await self.confirmSetupIntent(id, form) }
        post(router, "/v1/payment_links") { form, _ in self.createLink(form) }
        get(router, "/v1/payment_links") { form, _ in
            self.list("payment_link", form, path: "/v1/payment_links") { link in
                form["active"] == nil || link["active"]?.bool == (form["active"] == "true")
            }
        }
        get(router, "/v1/payment_links/{id}") { _, id in self.retrieve(id, "payment_link") }
        post(router, "/v1/payment_links/{id}") { form, id in self.updateLink(id, form) }
        get(router, "/v1/checkout/sessions") { form, _ in
            self.list("checkout.session", form, path: "/v1/checkout/sessions") { session in
                (form["payment_link"] == nil || session["payment_link"]?.string == form["payment_link"])
                    && (form["status"] == nil || session["status"]?.string == form["status"])
            }
        }
    }

    func get(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ handler: @escaping Handler) {
        router.get(path) { request, context in
            self.state.countRequest()
            guard self.authorized(request) else { return Self.respond(self.unauthorized) }
            let form = FormFields(request.uri.query ?? "")
            return Self.respond(await handler(form, context.parameters.get("id")))
        }
    }

    /// Every POST: key check, idempotent replay, one-shot faults, then the work.
    private func post(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ handler: @escaping Handler) {
        router.post(path) { request, context in
            self.state.countRequest()
            guard self.authorized(request) else { return Self.respond(self.unauthorized) }
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            let fingerprint = request.uri.path + "?" + body
            if let key {
                switch self.state.replay(key: key, fingerprint: fingerprint) {
                case .stored(let status, let text): return Self.respond(status, text, replayed: true)
                case .conflict:
                    return Self.respond(
                        stripeError(
                            400, type: "idempotency_error",
                            message:
                                "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request."
                        ))
                case .none: break
                }
            }
            let (delay, failure) = self.takeFault()
            let (status, json) =
                if let failure {
                    stripeError(failure, type: "api_error", message: "An unknown error occurred (simulated).")
                } else {
                    await handler(FormFields(body), context.parameters.get("id"))
                }
            // Stripe stores the first reply once the work began (a 500 too); a request that
            // failed validation is not stored.
            let text = Self.publicView(json).serialized
            if let key, status != 400 { self.state.store(key: key, fingerprint: fingerprint, status: status, body: text) }
            if let delay { try? await Task.sleep(for: delay) }
            return Self.respond(status, text, replayed: false)
        }
    }

    private func authorized(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return header.dropFirst(7).hasPrefix(options.keyPrefix)
    }

    private var unauthorized: (Int, JSONValue) {
        stripeError(401, message: "Invalid API Key provided. Use a secret key starting with \(options.keyPrefix).")
    }

    static func respond(_ reply: (Int, JSONValue)) -> Response { respond(reply.0, publicView(reply.1).serialized, replayed: false) }

    /// Stripe's view of an object: the simulator's own `sim_` bookkeeping is left out.
    static func publicView(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.key.hasPrefix("sim_") }.mapValues(publicView))
        case .array(let items): return .array(items.map(publicView))
        default: return value
        }
    }

    static func respond(_ status: Int, _ text: String, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func retrieve(_ id: String?, _ kind: String) -> (Int, JSONValue) {
        guard let id, let object = state.get(id), object["object"]?.string == kind else {
            return stripeError(404, code: "resource_missing", message: "No such \(kind): '\(id ?? "")'", param: "id")
        }
        return (200, object)
    }

    func list(_ kind: String, _ form: FormFields, path: String, where filter: (JSONValue) -> Bool = { _ in true }) -> (Int, JSONValue) {
        let createdFrom = form["created[gte]"].flatMap(Int.init)
        let items = state.all(kind) { object in
            filter(object) && (createdFrom.map { (object["created"]?.int ?? 0) >= $0 } ?? true)
        }
        return (200, listPage(items, url: path, limit: form["limit"], startingAfter: form["starting_after"]))
    }
}
