import ArgumentParser
import Ledger

/// `posplus audit …`: the append-only, hash-chained audit log.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and read the audit log.",
        discussion: """
            Every change to a payment appends an event whose MAC covers the one before it, keyed \
            with the ledger key kept outside the ledger. Editing, inserting or deleting any event, \
            even with the database's own tools, breaks the chain, and without the key it cannot \
            be recomputed.
            """,
        subcommands: [Verify.self, List.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-compute every MAC in the audit log; exit non-zero if any event was edited, inserted or deleted.",
            discussion: """
                Prints the head (SEQ:MAC of the newest event). Keep it somewhere the ledger is not \
                and pass it back with --head: a log cut back to an earlier event is caught too.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("A head printed by an earlier verify, which the log must still hold.", valueName: "seq:mac"))
        var head: String?

        func run() throws {
            var expected: AuditHead?
            if let head {
                guard let parsed = AuditHead(head) else {
                    throw ValidationError("--head must be SEQ:MAC as `posplus audit verify` prints it (a number, a colon, 64 hex digits).")
                }
                expected = parsed
            }
            let ledger = try global.app().ledger()
            let result = try ledger.verifyAuditChain(expectedHead: expected)
            print(result.description)
            if !result.isIntact { throw ExitCode(1) }
            print("Audit head: \(try ledger.auditChainHead())")
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
