import Foundation
import Gateway
import HTTPClient
import Logging
import Messaging
import PosPlusCore

/// Builds the Stripe gateway and the message senders from configuration, naming what is
/// missing instead of failing later. ``PosPlusApp`` calls these once per process.
public enum CardNotPresentWiring {
    public static func stripeGateway(_ settings: StripeSettings, logger: Logger) throws(GatewayError) -> StripeGateway<ContinuousClock> {
        guard let key = settings.secretKey else {
            throw .authentication("stripe.secret_key is not configured (set POSPLUS_STRIPE_SECRET_KEY)")
        }
        let client = StripeClient(
            configuration: StripeConfiguration(baseURL: settings.baseURL, secretKey: key, apiVersion: settings.apiVersion),
            http: HTTPClient(clock: ContinuousClock(), logger: logger))
        return StripeGateway(client: client)
    }

    /// The mailer, or nil when smtp.url is not set.
    public static func mailer(_ settings: SMTPConfiguration) throws(MessagingError) -> SMTPMailer? {
        guard let url = settings.url else { return nil }
        guard let from = settings.from else { throw .notConfigured("smtp.from") }
        return SMTPMailer(
            settings: SMTPSettings(
                url: url, from: try EmailAddress(from), username: settings.username, password: settings.password,
                requireTLS: settings.requireTLS))
    }

    /// The SMS sender, or nil when sms.account_sid is not set.
    public static func smsSender(_ settings: SMSConfiguration, logger: Logger) throws(MessagingError) -> SMSSender<ContinuousClock>? {
        guard let sid = settings.accountSID else { return nil }
        guard let token = settings.authToken else { throw .notConfigured("sms.auth_token") }
        guard let from = settings.from else { throw .notConfigured("sms.from") }
        return SMSSender(
            settings: SMSSettings(baseURL: settings.baseURL, accountSID: sid, authToken: token, from: try PhoneNumber(from)),
            http: HTTPClient(clock: ContinuousClock(), logger: logger))
    }
}
