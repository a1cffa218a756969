import Foundation
import Gateway
import Jobber
import Ledger
import PosPlusCore
import Reconcile

extension PosPlusApp {
    /// Reconcile over what this configuration reaches: the ledger always; Stripe, Jobber and the
    /// terminals where configured (a side that is not is reported as not read, not as empty).
    public func reconcileService() throws -> ReconcileService<ContinuousClock> {
        let gateway: (any PaymentGateway)? = try? stripeGateway()
        let jobber: JobberInvoices<ContinuousClock>? = isJobberConfigured ? try? self.jobber().invoices : nil
        let app = self
        var canceller: (@Sendable (Int64, String) async throws -> Void)? = nil
        if gateway != nil, let links = try? paymentLinkService() {
            canceller = { id, actor in _ = try await links.cancel(linkID: id, operator: actor) }
        }
        var service = ReconcileService(
            ledger: try ledger(), gateway: gateway, jobber: jobber, channelThatTook: { try app.channel(thatTook: $0) },
            processorChannels: Set(gatewayChannels().keys),
            terminals: { app.config.terminals.compactMap { try? app.terminalChannel(named: $0.name) } },
            linkCanceller: canceller, rules: config.reconcile.rules, logger: logger)
        service.receiptMode = config.receipts.mode
        return service
    }
}
