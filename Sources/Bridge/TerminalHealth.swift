import Terminal

/// A terminal's health as staff see it: ready (with who it says it is), busy with a customer,
/// unreachable (and why), or not known yet. Asked through the terminal's supervisor, so a
/// check never talks over a transaction: while one runs, the answer is "busy" with what the
/// last check found.
public struct TerminalHealth: Equatable, Sendable {
    public enum State: String, Sendable, CaseIterable {
        case ready
        case busy
        case unreachable
        case unknown
    }

    public var state: State
    /// A sentence for people: the terminal's own status message, or why it cannot be reached.
    public var detail: String
    public var serialNumber: String?
    public var model: String?
    public var softwareVersion: String?

    public init(state: State, detail: String, serialNumber: String? = nil, model: String? = nil, softwareVersion: String? = nil) {
        self.state = state
        self.detail = detail
        self.serialNumber = serialNumber
        self.model = model
        self.softwareVersion = softwareVersion
    }

    /// One keepalive check on `supervisor`, or its last result while a transaction runs.
    public init<C: Clock<Duration>>(of supervisor: TerminalSupervisor<C>) async {
        let busy = await supervisor.isBusy
        switch await supervisor.checkHealth() {
        case .ready(let status):
            self.init(
                state: busy ? .busy : .ready, detail: busy ? "A transaction is running on it." : status.message,
                serialNumber: status.serialNumber, model: status.model, softwareVersion: status.softwareVersion)
        case .unreachable(let reason):
            self.init(state: busy ? .busy : .unreachable, detail: busy ? "A transaction is running on it." : reason)
        case .unknown:
            self.init(
                state: busy ? .busy : .unknown, detail: busy ? "A transaction is running on it." : "It has not answered a check yet.")
        }
    }
}
