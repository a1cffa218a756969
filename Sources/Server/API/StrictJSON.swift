import Foundation

/// Request bodies decoded strictly: an unknown field is refused, not ignored. A typo in a
/// money request (`"ammount"`) must not quietly charge the whole balance; every refusal names
/// the field, as the front desk's page (or a script's author) needs to fix it.
enum StrictJSON {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalid_request", message: sentence(error))
        } catch {
            throw APIError(.badRequest, code: "invalid_request", message: "The body is not JSON this API understands.")
        }
    }

    static func sentence(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the body" : "\"" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing."
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)) must be \(describe(type))."
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)) must be \(describe(type)), not null."
        case .dataCorrupted(let context):
            // Foundation reports a fraction where a whole number belongs (an id of 12.5) as
            // invalid JSON, without a path; say both.
            return context.codingPath.isEmpty
                ? "The body is not valid JSON, or holds a fraction where a whole number belongs."
                : "\(field(context.codingPath)) is not valid: \(context.debugDescription)"
        @unknown default:
            return "The body is not JSON this API understands."
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int64.Type, is Int.Type: "a whole number (amounts are integer minor units: 1234 for $12.34)"
        case is Bool.Type: "true or false"
        default: "an object"
        }
    }
}

/// Any key, to see every key a JSON object holds (Codable's keyed containers hide the unknown ones).
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Refuses an object with a field outside `known`, naming it.
    func rejectUnknownFields(_ known: Set<String>) throws {
        let container = try container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            let expected = known.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw APIError(.badRequest, code: "unknown_field", message: "\"\(unknown)\" is not a field here; expected \(expected).")
        }
    }
}
