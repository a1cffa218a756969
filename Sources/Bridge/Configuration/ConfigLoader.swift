import Foundation
import Ledger
import PosPlusCore
import TOMLKit

/// The configuration as loaded, with where each value came from.
public struct LoadedConfig: Sendable {
    public var config: PosPlusConfig
    /// The file that was read, if any.
    public var file: String?
    /// Each key's source, in the order of the known settings.
    public var sources: [(key: String, value: String, source: ConfigSource)]
}

/// Reads the TOML configuration file and `POSPLUS_*` environment overrides.
///
/// The file is found at, in order: the `--config` path, `$POSPLUS_CONFIG`, then
/// `$XDG_CONFIG_HOME/posplus/config.toml` (or `~/.config/posplus/config.toml`). A path that
/// was named explicitly must exist; the default one may be missing (defaults apply).
/// Unknown keys are errors, not silently ignored: a misspelt `maximun` must not leave a
/// business without its charge limit.
public struct ConfigLoader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The default configuration file path for this environment.
    public var defaultFilePath: String {
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return configHome + "/posplus/config.toml"
    }

    /// Loads the configuration, from `explicitPath` if given.
    public func load(explicitPath: String? = nil) throws(ConfigError) -> LoadedConfig {
        let named = explicitPath ?? environment["POSPLUS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? defaultFilePath
        var raw: [String: (RawConfigValue, ConfigSource)] = [:]
        var fileRead: String?
        var terminals: [TerminalSettings] = []
        if FileManager.default.fileExists(atPath: path) {
            let contents = try readFile(path)
            for (key, value) in contents.values { raw[key] = (value, .file(path)) }
            terminals = contents.terminals
            fileRead = path
        } else if named != nil {
            throw .fileNotFound(path: path)
        }
        for field in ConfigField.all {
            if let text = environment[field.environmentName] {
                raw[field.key] = (.string(text), .environment(field.environmentName))
            }
        }

        var config = PosPlusConfig(ledgerPath: Ledger.defaultPath(environment: environment))
        var sources: [(key: String, value: String, source: ConfigSource)] = []
        for field in ConfigField.all {
            if let (value, source) = raw[field.key] {
                do { try field.apply(&config, value) } catch {
                    throw .invalidValue(source: source.description, key: field.key, problem: error.message)
                }
                sources.append((field.key, field.show(config), source))
            } else {
                sources.append((field.key, field.show(config), .defaultValue))
            }
        }
        config.terminals = terminals
        return LoadedConfig(config: config, file: fileRead, sources: sources)
    }

    /// Parses the file into dotted keys, refusing unknown sections and keys.
    private func readFile(_ path: String) throws(ConfigError) -> (values: [String: RawConfigValue], terminals: [TerminalSettings]) {
        let text = try ConfigFile.read(path)
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw .syntax(path: path, line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw .syntax(path: path, line: 0, column: 0, message: "\(error)")
        }
        let known = Set(ConfigField.all.map(\.key))
        var values: [String: RawConfigValue] = [:]
        var terminals: [TerminalSettings] = []
        for section in table.keys.sorted() {
            try Self.checkLength(of: section, in: path)
            if section == "terminals" {
                terminals = try readTerminals(table[section], path: path)
                continue
            }
            guard let inner = table[section]?.table else {
                throw .unknownKey(source: path, key: section, suggestion: Self.closest(to: section, in: known))
            }
            for name in inner.keys.sorted() {
                let key = section + "." + name
                try Self.checkLength(of: key, in: path)
                guard known.contains(key) else {
                    throw .unknownKey(source: path, key: key, suggestion: Self.closest(to: key, in: known))
                }
                values[key] = Self.raw(inner[name]!)
            }
        }
        return (values, terminals)
    }

    /// `[terminals.NAME]` tables: one terminal each, every key checked.
    private func readTerminals(_ value: (any TOMLValueConvertible)?, path: String) throws(ConfigError) -> [TerminalSettings] {
        guard let table = value?.table else {
            throw .wrongType(source: path, key: "terminals", expected: "tables such as [terminals.front-desk]", found: "a plain value")
        }
        var terminals: [TerminalSettings] = []
        for name in table.keys.sorted() {
            try Self.checkLength(of: "terminals.\(name)", in: path)
            guard let settings = table[name]?.table else {
                throw .wrongType(source: path, key: "terminals.\(name)", expected: "a table", found: "a plain value")
            }
            var raw: [String: RawConfigValue] = [:]
            for key in settings.keys.sorted() {
                try Self.checkLength(of: "terminals.\(name).\(key)", in: path)
                guard TerminalSettings.keys.contains(key) else {
                    let suggestion = Self.closest(to: key, in: TerminalSettings.keys).map { "terminals.\(name).\($0)" }
                    throw .unknownKey(source: path, key: "terminals.\(name).\(key)", suggestion: suggestion)
                }
                raw[key] = Self.raw(settings[key]!)
            }
            do { terminals.append(try TerminalSettings.parse(name: name, values: raw)) } catch {
                let key = error.key.isEmpty ? "terminals.\(name)" : "terminals.\(name).\(error.key)"
                throw .invalidValue(source: path, key: key, problem: error.message)
            }
        }
        return terminals
    }

    private static func raw(_ value: any TOMLValueConvertible) -> RawConfigValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .bool: return .boolean(value.bool ?? false)
        case .double: return .float(value.debugDescription)
        case .table: return .other(typeName: "a table")
        case .array: return .other(typeName: "an array")
        default: return .other(typeName: "a date or time")
        }
    }

    /// The longest key a file may hold: every real one (`terminals.<32-character name>.<key>`
    /// included) is well under it. A longer one is refused before anything else looks at it, so
    /// neither the error nor the "did you mean" search grows with what the file holds.
    public static let maximumKeyLength = 100

    private static func checkLength(of key: String, in source: String) throws(ConfigError) {
        let length = key.count
        guard length > maximumKeyLength else { return }
        throw .keyTooLong(source: source, start: String(key.prefix(24)), length: length, limit: maximumKeyLength)
    }

    /// The known key nearest to a misspelt one (edit distance ≤ 3), for the error's hint.
    ///
    /// The distance is at least the difference in length, so a key more than 3 characters
    /// longer or shorter than every candidate has none, and is not compared at all: the work is
    /// bounded by the known keys, whatever the input.
    static func closest(to key: String, in known: Set<String>) -> String? {
        let length = key.count
        let scored = known.filter { abs($0.count - length) <= 3 }.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 3 }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, charA) in a.enumerated() {
            var current = [i + 1]
            for (j, charB) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (charA == charB ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
