import Foundation
import HTTPClient
import PosPlusCore

extension StripeGateway {
    /// Reconciliation's read (reconcile.md §1): PaymentIntents (with the completed Checkout
    /// Sessions of links, for a link's reference), refunds, disputes, balance
    /// transactions and payouts created since `since`, each one cursor-paged list, then the
    /// balance transactions of each payout (`?payout=`), and the links still active. A refund is folded into its payment
    /// from the refunds list, not fetched per payment, so the request count is the minimum the
    /// pages allow.
    public func activity(since: Date) async throws(GatewayError) -> GatewayActivity {
        var window = StripeForm()
        window.add("created[gte]", Int64(since.timeIntervalSince1970))
        let intents = try await allPages("/v1/payment_intents", window)
        // A link's metadata is copied to its Checkout Sessions; a link made without
        // payment_intent_data[metadata] leaves its PaymentIntent without our reference, so the
        // completed sessions supply it.
        var completed = window
        completed.add("status", "complete")
        var sessionMetadata: [String: [String: String]] = [:]
        for session in try await allPages("/v1/checkout/sessions", completed) {
            guard let intent = session["payment_intent"]?.string ?? session["payment_intent"]?["id"]?.string else { continue }
            sessionMetadata[intent] = StripeReading.metadata(session["metadata"])
        }
        let refunds = try await allPages("/v1/refunds", window).map { json throws(GatewayError) in try reversal(json, .refund) }
        let disputes = try await allPages("/v1/disputes", window).map { json throws(GatewayError) in try reversal(json, .dispute) }
        var refundedByPayment: [String: Int64] = [:]
        for refund in refunds where refund.moved {
            refundedByPayment[refund.paymentID, default: 0] += refund.amount.minorUnits
        }
        var payments: [GatewayPayment] = []
        var paymentOfCharge: [String: String] = [:]
        for intent in intents {
            let id = try StripeReading.text(intent["id"], "payment_intent.id")
            var payment = try StripeReading.payment(intent, refunded: refundedByPayment[id] ?? 0, method: nil)
            if payment.metadata["posplus_reference"] == nil, let fromSession = sessionMetadata[id] {
                payment.metadata.merge(fromSession) { own, _ in own }
            }
            payments.append(payment)
            if let charge = intent["latest_charge"]?.string ?? intent["latest_charge"]?["id"]?.string { paymentOfCharge[charge] = id }
        }
        for reversal in refunds + disputes { paymentOfCharge[reversal.id] = reversal.paymentID }
        let balance = try await allPages("/v1/balance_transactions", window).map { json throws(GatewayError) in
            try entry(json, paymentOfSource: paymentOfCharge)
        }
        var payouts: [GatewayPayout] = []
        for json in try await allPages("/v1/payouts", window) {
            let id = try StripeReading.text(json["id"], "payout.id")
            var query = StripeForm()
            query.add("payout", id)
            let entries = try await allPages("/v1/balance_transactions", query).map { json throws(GatewayError) in
                try entry(json, paymentOfSource: paymentOfCharge)
            }
            payouts.append(
                GatewayPayout(
                    id: id,
                    amount: Money(
                        minorUnits: try StripeReading.minor(json["amount"], "payout.amount"),
                        currency: try StripeReading.currency(json["currency"])),
                    status: json["status"]?.string ?? "pending", arrival: Self.date(json["arrival_date"]),
                    created: Self.date(json["created"]),
                    entries: entries.filter { $0.kind != .payout }))
        }
        var active = StripeForm()
        active.add("active", true)
        let links = try await allPages("/v1/payment_links", active).map { json throws(GatewayError) in
            let metadata = StripeReading.metadata(json["metadata"])
            return GatewayLinkListing(
                id: try StripeReading.text(json["id"], "payment_link.id"), url: json["url"]?.string ?? "",
                reference: metadata["posplus_reference"], invoiceID: metadata["jobber_invoice_id"])
        }
        return GatewayActivity(
            payments: payments.sorted { $0.created < $1.created }, reversals: (refunds + disputes).sorted { $0.created < $1.created },
            balance: balance.filter { $0.kind != .payout }, payouts: payouts, activeLinks: links)
    }

    private func reversal(_ json: JSONValue, _ kind: GatewayReversal.Kind) throws(GatewayError) -> GatewayReversal {
        let object = kind == .refund ? "refund" : "dispute"
        let intent = json["payment_intent"]?.string ?? json["payment_intent"]?["id"]?.string
        return GatewayReversal(
            id: try StripeReading.text(json["id"], "\(object).id"), kind: kind,
            paymentID: try StripeReading.text(intent.map(JSONValue.string), "\(object).payment_intent"),
            amount: Money(
                minorUnits: try StripeReading.minor(json["amount"], "\(object).amount"),
                currency: try StripeReading.currency(json["currency"])),
            status: json["status"]?.string ?? "", created: Self.date(json["created"]))
    }

    private func entry(_ json: JSONValue, paymentOfSource: [String: String]) throws(GatewayError) -> GatewayBalanceEntry {
        let currency = try StripeReading.currency(json["currency"])
        let source = json["source"]?.string ?? json["source"]?["id"]?.string
        let kind: GatewayBalanceEntry.Kind =
            switch json["type"]?.string ?? "" {
            case "charge", "payment": .charge
            case "refund", "payment_refund": .refund
            case "adjustment" where source?.hasPrefix("dp_") == true, "dispute": .dispute
            case "payout": .payout
            default: .other
            }
        return GatewayBalanceEntry(
            id: try StripeReading.text(json["id"], "balance_transaction.id"), kind: kind, paymentID: source.flatMap { paymentOfSource[$0] },
            amount: Money(minorUnits: try StripeReading.minor(json["amount"], "balance_transaction.amount"), currency: currency),
            fee: Money(minorUnits: try StripeReading.minor(json["fee"], "balance_transaction.fee"), currency: currency),
            net: Money(minorUnits: try StripeReading.minor(json["net"], "balance_transaction.net"), currency: currency),
            created: Self.date(json["created"]))
    }

    private static func date(_ value: JSONValue?) -> Date {
        Date(timeIntervalSince1970: TimeInterval(value?.numberText.flatMap(Int64.init) ?? 0))
    }
}
