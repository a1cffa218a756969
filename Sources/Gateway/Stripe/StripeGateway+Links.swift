import HTTPClient
import PosPlusCore

extension StripeGateway {
    /// A Payment Link for one payment (`restrictions[completed_sessions][limit]=1`), priced
    /// inline, with our invoice and reference in the link's metadata and on the PaymentIntent
    /// it creates. A link has no expiry; posplus deactivates it when it is paid or cancelled.
    public func createLink(_ request: PaymentLinkRequest, idempotencyKey: String) async throws(GatewayError) -> GatewayLink {
        var metadata = ["posplus_reference": request.reference]
        metadata["jobber_invoice_id"] = request.invoiceID
        metadata["jobber_invoice_number"] = request.invoiceNumber
        metadata["jobber_quote_id"] = request.quoteID
        var form = StripeForm()
        form.add("line_items[0][quantity]", Int64(1))
        form.add("line_items[0][price_data][currency]", request.amount.currency.code.lowercased())
        form.add("line_items[0][price_data][unit_amount]", request.amount.minorUnits)
        form.add("line_items[0][price_data][product_data][name]", request.description)
        form.add("restrictions[completed_sessions][limit]", Int64(1))
        form.add("payment_method_types[]", "card")
        if request.allowBankDebit { form.add("payment_method_types[]", "us_bank_account") }
        form.add("metadata", dictionary: metadata)
        form.add("payment_intent_data[metadata]", dictionary: metadata)
        let link = try value(of: await client.post("/v1/payment_links", form, idempotencyKey: idempotencyKey))
        return GatewayLink(
            id: try StripeReading.text(link["id"], "payment_link.id"), url: try StripeReading.text(link["url"], "payment_link.url"),
            active: link["active"]?.bool ?? true)
    }

    public func deactivateLink(_ id: String, idempotencyKey: String) async throws(GatewayError) {
        var form = StripeForm()
        form.add("active", false)
        _ = try value(of: await client.post("/v1/payment_links/\(id)", form, idempotencyKey: idempotencyKey))
    }
}
