import Bridge
import Gateway
import Jobber
import Ledger
import Messaging
import PosPlusCore

/// The HTTP shape of the domain's refusals (Server owns it; the domain never imports HTTP).
///
/// Each refusal keeps its own sentence — written for the front desk already — and gets a status
/// and a stable code by what kind of answer it is: bad input (400), not found (404), a refusal
/// of the charge itself (422), a conflict with what already happened (409), a service posplus
/// needs that cannot be reached or is not set up (502, 503). Whatever is not mapped here is a
/// 500 whose detail goes to the log only.
extension APIError {
    init?(domain error: any Error) {
        switch error {
        case let error as IdentifierError: self.init(.badRequest, code: "invalid_request", message: error.description)
        case let error as MoneyError: self.init(.badRequest, code: "invalid_amount", message: error.description)
        case let error as MessagingError: self.init(messaging: error)
        case let error as ChargeRefusal: self.init(.unprocessableContent, code: "charge_refused", message: error.description)
        case let error as ChargeCheckError: self.init(chargeCheck: error)
        case let error as JobberError: self.init(jobber: error)
        case let error as LedgerError: self.init(ledger: error)
        case let error as PaymentChannelError: self.init(channel: error)
        case let error as GatewayError: self.init(gateway: error)
        case let error as TerminalDirectoryError:
            if case .unknownTerminal = error {
                self.init(.notFound, code: "unknown_terminal", message: error.description)
            } else {
                self.init(.serviceUnavailable, code: "terminal_unreachable", message: error.description)
            }
        case let error as PosPlusAppError: self.init(.unprocessableContent, code: "no_channel", message: error.description)
        case let error as PaymentLinkError: self.init(.conflict, code: "idempotency_key_reused", message: error.description)
        case let hold as ApprovalHold: self.init(.forbidden, code: "approval_denied", message: hold.description)
        case let error as ReceiptError: self.init(.unprocessableContent, code: "no_receipt", message: error.description)
        case let error as ForecastError: self.init(forecast: error)
        default: return nil
        }
    }

    init(chargeCheck error: ChargeCheckError) {
        switch error {
        case .refused: self.init(.unprocessableContent, code: "charge_refused", message: error.description)
        case .choice(.notFound): self.init(.notFound, code: "not_found", message: error.description)
        case .choice: self.init(.unprocessableContent, code: "choose_invoice", message: error.description)
        case .changed, .quoteChanged: self.init(.conflict, code: "invoice_changed", message: error.description)
        case .jobber(let jobber): self.init(jobber: jobber)
        case .unavailable: self.init(.serviceUnavailable, code: "jobber_not_configured", message: error.description)
        }
    }

    init(jobber error: JobberError) {
        switch error {
        case .notFound: self.init(.notFound, code: "not_found", message: error.description)
        case .notConnected, .disconnected: self.init(.serviceUnavailable, code: "jobber_not_connected", message: error.description)
        case .throttled: self.init(.serviceUnavailable, code: "jobber_busy", message: error.description, retryAfter: 5)
        case .malformedResponse, .graphQL, .http, .transport, .invalidWebhook:
            self.init(.badGateway, code: "jobber_unavailable", message: error.description)
        }
    }

    init(ledger error: LedgerError) {
        switch error {
        case .idempotencyKeyReused: self.init(.conflict, code: "idempotency_key_reused", message: error.description)
        case .paymentNotFound, .cardNotFound, .linkNotFound, .reconcileItemNotFound, .attemptNotFound, .jobNotFound:
            self.init(.notFound, code: "not_found", message: error.description)
        case .invoiceHasPaymentInFlight, .quoteHasPaymentInFlight, .attemptInProgress:
            self.init(.conflict, code: "payment_in_flight", message: error.description)
        case .alreadyPaid(let earlier):
            self.init(
                .conflict, code: "already_paid",
                message:
                    "posplus already took \(earlier.amount.formatted) on \(earlier.target): payment \(earlier.paymentID) (\(earlier.state.rawValue)). If you are retrying that charge, send it again with its Idempotency-Key (\(earlier.idempotencyKey)) to see it; nothing more is charged. To take another payment on \(earlier.target) on purpose, send \"splitTender\": true."
            )
        case .invoiceOwedExceeded, .depositOwedExceeded:
            self.init(.unprocessableContent, code: "charge_refused", message: error.description)
        case .invalidRequest: self.init(.unprocessableContent, code: "refused", message: error.description)
        case .transition: self.init(.conflict, code: "conflict", message: error.description)
        case .cardDataRefused: self.init(.badRequest, code: "card_data_refused", message: error.description)
        case .staffNotFound, .apiTokenNotFound, .approvalNotFound: self.init(.notFound, code: "not_found", message: error.description)
        case .approvalRefused: self.init(.conflict, code: "approval_refused", message: error.description)
        case .staffExists, .lastOwner: self.init(.conflict, code: "conflict", message: error.description)
        case .staffDisabled: self.init(.forbidden, code: "staff_disabled", message: error.description)
        case .cannotOpen, .storage, .keyUnavailable, .secretUnreadable:
            self.init(
                .serviceUnavailable, code: "ledger_unavailable",
                message: "The ledger could not be used just now; nothing was changed. Try again, and tell the owner if it keeps happening.")
        }
    }

    init(channel error: PaymentChannelError) {
        switch error {
        case .notDelivered: self.init(.serviceUnavailable, code: "terminal_unreachable", message: error.description)
        case .unsupported: self.init(.unprocessableContent, code: "unsupported", message: error.description)
        case .unavailable: self.init(.serviceUnavailable, code: "unavailable", message: error.description)
        }
    }

    init(gateway error: GatewayError) {
        switch error {
        case .authentication: self.init(.serviceUnavailable, code: "processor_not_configured", message: error.description)
        case .invalidRequest, .refundExceedsRemaining: self.init(.unprocessableContent, code: "refused", message: error.description)
        case .idempotencyConflict: self.init(.conflict, code: "idempotency_key_reused", message: error.description)
        case .notFound: self.init(.notFound, code: "not_found", message: error.description)
        case .rateLimited: self.init(.serviceUnavailable, code: "processor_busy", message: error.description, retryAfter: 5)
        case .processor, .transport, .malformedResponse:
            self.init(.badGateway, code: "processor_unavailable", message: error.description)
        }
    }

    init(messaging error: MessagingError) {
        switch error {
        case .invalidEmail, .invalidPhone: self.init(.badRequest, code: "invalid_recipient", message: error.description)
        case .notConfigured: self.init(.serviceUnavailable, code: "messaging_not_configured", message: error.description)
        case .smtp, .sms, .transport: self.init(.badGateway, code: "messaging_unavailable", message: error.description)
        }
    }
}
