import ArgumentParser
import Ledger

/// `posplus audit …`: the append-only, hash-chained audit log.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and read the audit log.",
        discussion: """
            Every change to a payment appends an event whose hash covers the one before it. \
            Editing or deleting any event, even with the database's own tools, breaks the chain.
            """,
        subcommands: [Verify.self, List.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-compute every hash in the audit log; exit non-zero if any event was edited or deleted.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let result = try global.app().ledger().verifyAuditChain()
            print(result.description)
            if !result.isIntact { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print audit events, oldest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only the events of this payment id.")
        var payment: Int64?

        func run() throws {
            for event in try global.app().ledger().auditEvents(paymentID: payment) {
                let at = Formatting.timestamp(millis: event.atMillis)
                let subject = event.paymentID.map { "payment \($0)" } ?? "-"
                print("\(event.seq)\t\(at)\t\(event.kind)\t\(subject)\t\(event.actor)\t\(event.detail)")
            }
        }
    }
}
