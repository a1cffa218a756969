/// How far one of the getting-paid capabilities (receipts, decline recovery, …) acts on its own.
/// One type for all of them, so a business rolls each out the same way, step by step.
public enum AutomationMode: String, CaseIterable, Equatable, Sendable {
    /// Nothing happens by itself: the capability is there for a person who asks (a receipt is
    /// shown or sent on request; declines are recorded as always).
    case off
    /// It proposes, with its reason (a receipt is ready; a retry, link or office task is due),
    /// and a person approves each proposal.
    case suggest
    /// It acts under the configured limits, each action audited with its reason.
    case auto
}

extension RawConfigValue {
    /// off, suggest or auto: every `*.mode` of issue 13 reads the same way.
    func automationMode() throws(FieldProblem) -> AutomationMode {
        let text = try nonEmptyText().lowercased()
        guard let mode = AutomationMode(rawValue: text) else {
            throw FieldProblem("must be off, suggest or auto, not \"\(text.prefix(20))\"")
        }
        return mode
    }
}
