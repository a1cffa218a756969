import ArgumentParser
import Bridge
import Foundation
import Ledger
import PosPlusCore

/// `posplus disputes`: the card disputes (chargebacks) the processor reported. Jobber has no
/// disputes, so this is where the office sees which payments a client's bank is taking back.
struct DisputesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes",
        abstract: "List card disputes (chargebacks) on posplus's payments: open ones, or all with --all.",
        discussion: """
            A dispute arrives with the processor's webhook (`posplus serve`). While one is open, posplus stops
            chasing its invoice (decline recovery, payment plan, reminders) and refuses to refund the disputed
            payment: the bank is returning the money already. Answer it at the processor; `posplus reconcile`
            lists the money it moved.
            Example:
              posplus disputes --all
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Also list disputes already decided (won, lost or closed).") var all = false

    func run() throws {
        let disputes = try global.app().ledger().disputes(openOnly: !all)
        guard !disputes.isEmpty else {
            print(all ? "No card dispute is recorded." : "No card dispute is open.")
            return
        }
        let ledger = try global.app().ledger()
        for dispute in disputes { print(Self.line(dispute, payment: try ledger.payment(id: dispute.paymentID))) }
    }

    /// "Payment 12 (invoice #1044): dispute dp_1 of $20.00 (…), open since …".
    static func line(_ dispute: DisputeRecord, payment: PaymentRecord?) -> String {
        let on = payment?.invoiceNumber.map { " (invoice #\($0))" } ?? ""
        let state = dispute.isOpen ? "open" : "closed \(dispute.closedAt.map(Formatting.timestamp) ?? "")"
        return "Payment \(dispute.paymentID)\(on): \(dispute.summary), \(state), since \(Formatting.timestamp(dispute.openedAt))."
    }
}
