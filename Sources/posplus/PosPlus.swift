import ArgumentParser
import Bridge
import Foundation
import Logging

/// The `posplus` command: a payment bridge between front-desk card terminals and Jobber.
@main
struct PosPlus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posplus",
        abstract: "Take card and ACH payments for Jobber invoices, and keep a ledger that never loses one.",
        discussion: """
            posplus records every payment in a local ledger before any money moves, so a lost \
            reply, a pulled cable or a crash never charges a customer twice or forgets a charge.

            Configuration comes from a TOML file (see `posplus config show`) and POSPLUS_* \
            environment variables. The ledger lives in $XDG_DATA_HOME/posplus/ unless configured.

            Examples:
              posplus payments list      recent payments, newest first
              posplus payments show 42   one payment, its attempts and audit trail
              posplus audit verify       prove the audit log was not edited
              posplus config show        every setting and where it came from
              posplus terminals scan     known terminals plugged in over USB
              posplus charge front-desk --invoice 1043
                                         charge an invoice's balance on a terminal
              posplus refund 7 --amount 50.00
                                         give back part of a payment (void cancels it all)
              posplus recover            ask terminals about payments whose answer was lost
              posplus invoice show 1042  an invoice as Jobber has it now
              posplus link send --invoice 1042 --email ada@example.com
                                         a payment link, checked against the invoice
              posplus serve              receive Jobber's and Stripe's webhooks
              posplus staff add ada --role front-desk
                                         a console login (asks for the password)
              posplus approvals list     refunds, voids and keyed sales waiting for a manager
              posplus webhooks list --failed
                                         stored webhooks that could not be read, to retry
            """,
        version: PosPlusVersion.current,
        subcommands: [
            ChargeCommand.self, VoidCommand.self, RefundCommand.self, RecoverCommand.self, Payments.self, Terminals.self,
            InvoiceCommand.self, QuoteCommand.self,
            LinkCommand.self, CardCommand.self, JobberCommand.self,
            ServeCommand.self, Webhooks.self, ReconcileCommand.self, Audit.self, LedgerCommand.self,
            StaffCommand.self, ApprovalsCommand.self, ConfigCommand.self, ReceiptCommand.self,
            DeclinesCommand.self,
            RemindersCommand.self,
            ForecastCommand.self,
            PlanCommand.self,
            RiskCommand.self,
            DisputesCommand.self,
            Version.self,
        ]
    )

    static func main() async {
        signal(SIGPIPE, SIG_IGN)  // a closed socket or pipe is an error to handle, not a reason to die
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch ApprovalHold.waiting(let approval) {
            // Not a failure: the request is recorded and waits; scripts see exit status 3.
            print(ApprovalHold.waiting(approval).description)
            exit(withError: ExitCode(3))
        } catch {
            exit(withError: error)
        }
    }
}

/// `posplus version`: what build this is.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the posplus version.")

    func run() {
        print("posplus \(PosPlusVersion.current)")
    }
}
