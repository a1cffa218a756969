import Bridge
import Hummingbird

/// Invoices and quotes in Jobber, as the front desk and technicians look them up before
/// charging or sending a link: by number, by the client's name, a client's open invoices.
struct InvoiceRoutes: Sendable {
    let app: PosPlusApp

    var endpoints: [APIEndpoint] {
        [
            APIEndpoint(APIRoute(.get, "/api/invoices/{number}", .permission(.lookUpInvoices))) { call in
                let number = try APIInput.invoiceNumber(try call.parameter("number"), field: "number")
                return call.json(InvoiceView(try await lookup().invoice(number: number)))
            },
            APIEndpoint(APIRoute(.get, "/api/invoices", .permission(.lookUpInvoices))) { call in try await list(call) },
            APIEndpoint(APIRoute(.get, "/api/quotes/{id}", .permission(.lookUpInvoices))) { call in
                let id = try APIInput.jobberID(try call.parameter("id"), field: "id")
                return call.json(QuoteView(try await lookup().quote(id: id)))
            },
        ]
    }

    struct Invoices: Encodable { var invoices: [InvoiceView] }

    /// Jobber's look-ups, or a 503 saying what is not set up (in words about looking up, not
    /// about charging, as the payment path's own sentence is).
    func lookup() throws -> InvoiceLookup {
        do { return try app.invoiceLookup() } catch ChargeCheckError.unavailable(let reason) {
            throw APIError(
                .serviceUnavailable, code: "jobber_not_configured", message: "Looking up invoices and quotes needs Jobber, but \(reason).")
        }
    }

    /// `?client=ID`: the client's open invoices, oldest due first. `?search=TEXT`: invoices whose
    /// client's name (or number, or subject) holds the text, newest first, paid ones too.
    func list(_ call: APICall) async throws -> Response {
        let jobber = try lookup()
        switch (call.query("client"), call.query("search")) {
        case (let client?, nil):
            let id = try APIInput.jobberID(client, field: "client")
            return call.json(Invoices(invoices: try await jobber.openInvoices(clientID: id).map(InvoiceView.init)))
        case (nil, let text?):
            return call.json(Invoices(invoices: try await jobber.search(try APIInput.searchText(text)).map(InvoiceView.init)))
        default:
            throw APIError(
                .badRequest, code: "invalid_request",
                message: "Ask for a client's open invoices (?client=ID) or search by name (?search=Hopper), one of the two.")
        }
    }
}
