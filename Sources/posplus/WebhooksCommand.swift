import ArgumentParser
import Bridge
import Foundation
import Ledger

/// `posplus webhooks …`: the stored Jobber and Stripe events, and a way back for a failed one.
struct Webhooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List stored webhooks and retry one that failed.",
        discussion: """
            Every webhook `posplus serve` accepts is stored before it is answered, then processed. An \
            event whose processing fails (a busy ledger, say) stays pending and is tried again later, \
            less and less often; only an event that can never be read ends as failed, and waits for \
            `posplus webhooks retry`.
            """,
        subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored webhooks, newest first, with their state.",
            discussion: """
                Examples:
                  posplus webhooks list --failed     events that can never be read, to retry or report
                  posplus webhooks list --state pending
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Only failed events (the same as --state failed).")
        var failed = false

        @Option(
            help: ArgumentHelp(
                "Only events in this state.", discussion: "One of: \(WebhookState.allCases.map(\.rawValue).joined(separator: ", ")).",
                valueName: "state"))
        var state: WebhookState?

        @Option(help: "At most this many events.")
        var limit = 50

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000, not \(limit).") }
            if failed, let state, state != .failed { throw ValidationError("--failed lists failed events; drop --state \(state).") }
        }

        func run() throws {
            let only: WebhookState? = failed ? .failed : state
            let events = try global.app().ledger().webhooks(state: only, limit: limit)
            guard !events.isEmpty else {
                print(only.map { "No \($0.rawValue) webhooks." } ?? "No webhooks stored yet.")
                return
            }
            var rows = [["ID", "RECEIVED", "SOURCE", "TOPIC", "STATE", "TRIES", "NOTE"]]
            for event in events {
                rows.append([
                    String(event.id), Formatting.timestamp(event.receivedAt), event.source, event.topic, event.state.rawValue,
                    String(event.attempts), Self.note(event),
                ])
            }
            print(Formatting.table(rows))
        }

        /// What happened, or why not and what comes next.
        static func note(_ event: StoredWebhook) -> String {
            let text: String
            switch event.state {
            case .processed: text = event.result ?? ""
            case .failed: text = event.lastError ?? event.result ?? ""
            case .pending:
                guard let error = event.lastError else { return "waiting to be processed" }
                let next = event.nextAttemptAt.map { "next try \(Formatting.timestamp($0))" } ?? "next try now"
                text = "\(next); last error: \(error)"
            }
            return text.count > 100 ? String(text.prefix(99)) + "…" : text
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a failed webhook back to pending and process it now.",
            discussion: """
                The retry is written to the audit log. Processing is idempotent: a paid link is recorded \
                once, however often its event is processed.
                Example:
                  posplus webhooks retry 12
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The webhook's id, from `posplus webhooks list --failed`.", valueName: "id"))
        var id: Int64

        @Option(help: "Who is retrying it, for the audit log.")
        var `operator` = "cli"

        func run() throws {
            let app = try global.app(label: "posplus.webhooks")
            let ledger = try app.ledger()
            let stored = try ledger.retryWebhook(id: id, actor: `operator`)
            // The same inbox `serve` builds for this source; processing needs its settings.
            guard let inbox = try app.webhookInboxes().inbox(forSource: stored.source) else {
                print("Webhook \(id) is pending again; `posplus serve` will process it (its \(stored.source) settings are not set here).")
                return
            }
            try inbox.processPending()
            guard let after = try ledger.webhook(id: id) else { return }
            switch after.state {
            case .processed: print("Webhook \(id) processed: \(after.result ?? "")")
            case .failed:
                print("Webhook \(id) failed again: \(after.lastError ?? "unreadable").")
                throw ExitCode(1)
            case .pending:
                print("Webhook \(id) is pending; it will be tried again. Last error: \(after.lastError ?? "none").")
            }
        }
    }
}

extension WebhookState: ExpressibleByArgument {}
