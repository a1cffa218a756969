/// What is wrong with the configuration, naming the file, the key and the problem, so the
/// person fixing it does not have to guess.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int, column: Int, message: String)
    case unknownKey(source: String, key: String, suggestion: String?)
    /// A key longer than any setting can be: quoted only by its start, so a 20 KB key is not
    /// printed back in full.
    case keyTooLong(source: String, start: String, length: Int, limit: Int)
    case wrongType(source: String, key: String, expected: String, found: String)
    case invalidValue(source: String, key: String, problem: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "The configuration file \(path) does not exist."
        case .unreadable(let path, let reason):
            return "Cannot read the configuration file \(path): \(reason)."
        case .syntax(let path, let line, let column, let message):
            return "\(path):\(line):\(column): not valid TOML: \(message)."
        case .unknownKey(let source, let key, let suggestion):
            let hint = suggestion.map { " Did you mean \"\($0)\"?" } ?? ""
            return "\(source): unknown setting \"\(key)\".\(hint)"
        case .keyTooLong(let source, let start, let length, let limit):
            return
                "\(source): a setting name of \(length) characters (\"\(start)…\") is not one posplus knows; names are at most \(limit) characters. Check the file for a missing quote or bracket."
        case .wrongType(let source, let key, let expected, let found):
            return "\(source): \"\(key)\" must be \(expected), not \(found)."
        case .invalidValue(let source, let key, let problem):
            return "\(source): \"\(key)\": \(problem)"
        }
    }
}
