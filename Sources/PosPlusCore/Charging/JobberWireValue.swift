/// An enum Jobber sends as a snake_case string, kept whole even when it is a value posplus does
/// not know yet (a newer API version): decoding never fails on it, and the charge rules refuse
/// it by name. Conformers give the two mappings; coding comes with them.
public protocol JobberWireValue: Codable {
    /// Reads Jobber's wire value, whatever its letter case.
    init(jobberValue: String)
    /// Jobber's wire value.
    var jobberValue: String { get }
}

extension JobberWireValue {
    public init(from decoder: any Decoder) throws {
        self.init(jobberValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jobberValue)
    }
}
