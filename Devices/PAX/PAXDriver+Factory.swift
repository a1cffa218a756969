import Logging
import PosPlusCore
import Terminal

extension PAXDriver {
    /// The "pax" family's plug-in: a driver for a brand-free endpoint. PAX terminals use every
    /// kind of endpoint: serial/USB-serial, raw TCP (a connection per request, port 10009 by
    /// default) and HTTP GET (no ACK/NAK/EOT).
    /// Amounts are read in `currency`, the business's.
    public static func factory(currency: Currency = .usd, logger: Logger) -> TerminalDriverFactory {
        { endpoint, timeouts in
            let pax = POSLinkTimeouts(connect: timeouts.connect, ack: timeouts.acknowledge, response: timeouts.response)
            return PAXDriver(connection: endpoint, timeouts: pax, currency: currency, logger: logger)
        }
    }
}
