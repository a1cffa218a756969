import Gateway
import Messaging
import PosPlusCore

/// How posplus reaches Stripe. Secrets are ``Secret``s: `config show` says only whether they
/// are set; prefer `POSPLUS_STRIPE_SECRET_KEY` and `POSPLUS_STRIPE_WEBHOOK_SECRET`.
public struct StripeSettings: Equatable, Sendable {
    public var baseURL = "https://api.stripe.com"
    public var secretKey: Secret<String>?
    /// Pinned `Stripe-Version`.
    public var apiVersion = StripeConfiguration.defaultAPIVersion
    /// The endpoint's signing secret (`whsec_…`) for `POST /webhooks/stripe`.
    public var webhookSecret: Secret<String>?

    public init() {}
}

/// The mail server for payment-link emails.
public struct SMTPConfiguration: Equatable, Sendable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465`.
    public var url: String?
    public var from: String?
    public var username: String?
    public var password: Secret<String>?
    /// Off only for a relay on this machine.
    public var requireTLS = true

    public init() {}
}

/// The Twilio-compatible SMS API for payment-link texts.
public struct SMSConfiguration: Equatable, Sendable {
    public var baseURL = "https://api.twilio.com"
    public var accountSID: String?
    public var authToken: Secret<String>?
    public var from: String?

    public init() {}
}

/// The words of payment-link messages; `{business}`, `{invoice}`, `{quote}`, `{amount}`, `{link}`
/// and `{expiry}` are filled in. Deposit links (for a quote) have their own three.
public struct MessageTemplates: Equatable, Sendable {
    public var sms = PaymentLinkMessage.defaultSMS
    public var emailSubject = PaymentLinkMessage.defaultEmailSubject
    public var emailBody = PaymentLinkMessage.defaultEmailBody
    public var depositSMS = PaymentLinkMessage.defaultDepositSMS
    public var depositEmailSubject = PaymentLinkMessage.defaultDepositEmailSubject
    public var depositEmailBody = PaymentLinkMessage.defaultDepositEmailBody

    public init() {}

    /// A template must carry the link, or the message is useless.
    static func checked(_ text: String) throws(FieldProblem) -> String {
        guard text.contains("{link}") else { throw FieldProblem("must contain {link}, or the customer gets no way to pay") }
        return text
    }
}

extension ConfigField {
    static let cardNotPresent: [ConfigField] = [
        template("messages.sms", "Text of a payment-link SMS ({business} {invoice} {amount} {link} {expiry}).", \.sms),
        template("messages.email_subject", "Subject of a payment-link email.", \.emailSubject, needsLink: false),
        template("messages.email_body", "Body of a payment-link email (must contain {link}).", \.emailBody),
        template(
            "messages.deposit_sms", "Text of a deposit-link SMS for a quote ({business} {quote} {amount} {link} {expiry}).",
            \.depositSMS),
        template("messages.deposit_email_subject", "Subject of a deposit-link email.", \.depositEmailSubject, needsLink: false),
        template("messages.deposit_email_body", "Body of a deposit-link email (must contain {link}).", \.depositEmailBody),
        ConfigField(
            key: "stripe.base_url", help: "Stripe's API (or a simulator on 127.0.0.1).",
            apply: { config, value throws(FieldProblem) in config.stripe.baseURL = try value.url() },
            show: { URLCredentials.hidden(in: $0.stripe.baseURL) }),
        ConfigField(
            key: "stripe.secret_key", help: "Stripe secret key (prefer the environment variable).",
            apply: { config, value throws(FieldProblem) in config.stripe.secretKey = Secret(try value.nonEmptyText()) },
            show: { $0.stripe.secretKey == nil ? "(not set)" : "(set, hidden)" }),
        ConfigField(
            key: "stripe.api_version", help: "Pinned Stripe-Version.",
            apply: { config, value throws(FieldProblem) in config.stripe.apiVersion = try value.nonEmptyText() },
            show: { $0.stripe.apiVersion }),
        ConfigField(
            key: "stripe.webhook_secret", help: "Signing secret of the Stripe webhook endpoint (whsec_…).",
            apply: { config, value throws(FieldProblem) in config.stripe.webhookSecret = Secret(try value.nonEmptyText()) },
            show: { $0.stripe.webhookSecret == nil ? "(not set)" : "(set, hidden)" }),
        ConfigField(
            key: "smtp.url", help: "Mail server, smtp://host:587 (STARTTLS) or smtps://host:465.",
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                guard text.hasPrefix("smtp://") || text.hasPrefix("smtps://") else {
                    throw FieldProblem("\"\(URLCredentials.hidden(in: text))\" is not an smtp:// or smtps:// URL")
                }
                config.smtp.url = text
            }, show: { $0.smtp.url.map(URLCredentials.hidden(in:)) ?? "(not set)" }),
        ConfigField(
            key: "smtp.from", help: "Sender address of payment-link emails.",
            apply: { config, value throws(FieldProblem) in config.smtp.from = try value.nonEmptyText() },
            show: { $0.smtp.from ?? "(not set)" }),
        ConfigField(
            key: "smtp.username", help: "Mail server login.",
            apply: { config, value throws(FieldProblem) in config.smtp.username = try value.nonEmptyText() },
            show: { $0.smtp.username ?? "(not set)" }),
        ConfigField(
            key: "smtp.password", help: "Mail server password (prefer the environment variable).",
            apply: { config, value throws(FieldProblem) in config.smtp.password = Secret(try value.nonEmptyText()) },
            show: { $0.smtp.password == nil ? "(not set)" : "(set, hidden)" }),
        ConfigField(
            key: "smtp.require_tls", help: "Refuse to send without TLS (false only for a local relay).",
            apply: { config, value throws(FieldProblem) in config.smtp.requireTLS = try value.boolean() },
            show: { String($0.smtp.requireTLS) }),
        ConfigField(
            key: "sms.base_url", help: "Twilio-compatible SMS API.",
            apply: { config, value throws(FieldProblem) in config.sms.baseURL = try value.url() },
            show: { URLCredentials.hidden(in: $0.sms.baseURL) }),
        ConfigField(
            key: "sms.account_sid", help: "SMS account id.",
            apply: { config, value throws(FieldProblem) in config.sms.accountSID = try value.nonEmptyText() },
            show: { $0.sms.accountSID ?? "(not set)" }),
        ConfigField(
            key: "sms.auth_token", help: "SMS auth token (prefer the environment variable).",
            apply: { config, value throws(FieldProblem) in config.sms.authToken = Secret(try value.nonEmptyText()) },
            show: { $0.sms.authToken == nil ? "(not set)" : "(set, hidden)" }),
        ConfigField(
            key: "sms.from", help: "Number texts come from (E.164).",
            apply: { config, value throws(FieldProblem) in config.sms.from = try value.nonEmptyText() },
            show: { $0.sms.from ?? "(not set)" }),
    ]
}

extension ConfigField {
    /// A message template setting: text, not empty, carrying `{link}` where the customer needs it;
    /// `config show` prints its first line.
    static func template(
        _ key: String, _ help: String, _ field: any WritableKeyPath<MessageTemplates, String> & Sendable, needsLink: Bool = true
    ) -> ConfigField {
        ConfigField(
            key: key, help: help,
            apply: { config, value throws(FieldProblem) in
                let text = try value.nonEmptyText()
                config.messages[keyPath: field] = needsLink ? try MessageTemplates.checked(text) : text
            },
            show: { $0.messages[keyPath: field].split(separator: "\n").first.map(String.init) ?? "" })
    }
}
