/// A currency is written as its ISO code (`"USD"`) and read back through ``Currency/init(code:)``,
/// so a stored or received code posplus does not know fails to decode, naming the code, instead
/// of becoming a currency nobody can pay in (or, worse, quietly becoming dollars).
extension Currency: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        do {
            self = try Currency(code: code)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: container.codingPath, debugDescription: String(describing: error), underlyingError: error)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
