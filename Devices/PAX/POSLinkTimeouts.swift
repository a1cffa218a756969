/// How long each step of a POSLink exchange may take. Configurable per terminal.
public struct POSLinkTimeouts: Equatable, Sendable {
    /// Connecting to a LAN terminal.
    public var connect: Duration
    /// From sending a request to its ACK (no official value; IM30 uses 7 s).
    public var ack: Duration
    /// From the ACK to the reply: the customer has to find and present the card.
    public var response: Duration
    /// From our ACK of the reply to the terminal's EOT (a missing EOT is tolerated).
    public var eot: Duration
    /// Non-money calls (status, lookup, reset).
    public var administrative: Duration

    public init(
        connect: Duration = .seconds(5), ack: Duration = .seconds(5), response: Duration = .seconds(120), eot: Duration = .seconds(2),
        administrative: Duration = .seconds(15)
    ) {
        self.connect = connect
        self.ack = ack
        self.response = response
        self.eot = eot
        self.administrative = administrative
    }
}
