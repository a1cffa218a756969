import HTTPClient

/// What Jobber will charge for a query, by its published rule (jobber-api.md §2), computed from
/// the query text itself so that no query can carry a hand-written figure that is wrong:
///
/// - every field costs 1; `edges`, `nodes` and `node` cost 0 (introspection, `__…`, costs 0);
/// - a field with `first:`/`last:` multiplies what is inside it by that number (a literal or a
///   variable), and a connection (one that selects `nodes` or `edges`) without either counts
///   as 100 nodes; filter and sort arguments are free;
/// - fragments (named and inline) cost what their fields cost where they are used.
///
/// So a client's open invoices, `invoices(first: 50) { nodes { <9 points> } }`, is 1 + 50 × 9 = 451.
public enum GraphQLQueryCost {
    /// The cost of the (first) operation in `query`; nil when the text is not a GraphQL document
    /// this reader understands (the caller then relies on the figure Jobber reports).
    public static func requested(_ query: String, variables: [String: JSONValue] = [:]) -> Int? {
        var parser = Parser(tokens: Lexer.tokens(of: query))
        guard let document = parser.document() else { return nil }
        guard let operation = document.operations.first else { return nil }
        return cost(of: operation, fragments: document.fragments, variables: variables, depth: 0)
    }

    private static func cost(of set: [Selection], fragments: [String: [Selection]], variables: [String: JSONValue], depth: Int) -> Int {
        guard depth < 32 else { return 0 }  // a fragment cycle is invalid GraphQL; do not loop on it
        var total = 0
        for selection in set {
            switch selection {
            case .spread(let name):
                total += cost(of: fragments[name] ?? [], fragments: fragments, variables: variables, depth: depth + 1)
            case .inline(let children):
                total += cost(of: children, fragments: fragments, variables: variables, depth: depth + 1)
            case .field(let name, let pageSize, let children):
                if name.hasPrefix("__") { continue }
                let own = ["edges", "nodes", "node"].contains(name) ? 0 : 1
                guard let children else {
                    total += own
                    continue
                }
                let inside = cost(of: children, fragments: fragments, variables: variables, depth: depth + 1)
                let size: Int
                switch pageSize {
                case .literal(let value): size = value
                case .variable(let name): size = variables[name]?.int ?? 100
                case nil: size = children.contains(where: \.isNodeList) ? 100 : 1
                }
                total += own + size * inside
            }
        }
        return total
    }

    enum PageSize: Equatable {
        case literal(Int)
        case variable(String)
    }

    indirect enum Selection: Equatable {
        case field(name: String, pageSize: PageSize?, children: [Selection]?)
        case spread(String)
        case inline([Selection])

        var isNodeList: Bool {
            if case .field(let name, _, _) = self { return name == "nodes" || name == "edges" }
            return false
        }
    }

    struct Document {
        var operations: [[Selection]] = []
        var fragments: [String: [Selection]] = [:]
    }

    enum Token: Equatable {
        case name(String)
        case number(String)
        case string
        case punctuator(String)
    }

    /// GraphQL's lexical grammar, as far as cost needs it: names, numbers, strings (their text
    /// does not matter), punctuators; commas, white space and comments are ignored.
    enum Lexer {
        static func tokens(of text: String) -> [Token] {
            let characters = Array(text.unicodeScalars)
            var tokens: [Token] = []
            var index = 0
            func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
            func isNameCharacter(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }
            while index < characters.count {
                let c = characters[index]
                if c == "#" {
                    while index < characters.count, characters[index] != "\n" { index += 1 }
                } else if c == "\"" {
                    let block = index + 2 < characters.count && characters[index + 1] == "\"" && characters[index + 2] == "\""
                    index += block ? 3 : 1
                    while index < characters.count {
                        if block, index + 2 < characters.count, characters[index] == "\"", characters[index + 1] == "\"",
                            characters[index + 2] == "\""
                        {
                            index += 3
                            break
                        }
                        if !block, characters[index] == "\"" {
                            index += 1
                            break
                        }
                        index += characters[index] == "\\" ? 2 : 1
                    }
                    tokens.append(.string)
                } else if c == "." {
                    tokens.append(.punctuator("..."))
                    index += 3
                } else if isNameStart(c) {
                    var name = ""
                    while index < characters.count, isNameCharacter(characters[index]) {
                        name.unicodeScalars.append(characters[index])
                        index += 1
                    }
                    tokens.append(.name(name))
                } else if c == "-" || ("0"..."9").contains(c) {
                    var number = ""
                    while index < characters.count, "-+.eE0123456789".unicodeScalars.contains(characters[index]) {
                        number.unicodeScalars.append(characters[index])
                        index += 1
                    }
                    tokens.append(.number(number))
                } else if "{}()[]:$!=@&|".unicodeScalars.contains(c) {
                    tokens.append(.punctuator(String(c)))
                    index += 1
                } else {
                    index += 1  // white space, commas, a byte-order mark
                }
            }
            return tokens
        }
    }

    /// Reads operations and fragment definitions into selection trees; nil on text that is not
    /// a document (an unbalanced brace, a field without a name).
    struct Parser {
        let tokens: [Token]
        var index = 0

        init(tokens: [Token]) { self.tokens = tokens }

        var peek: Token? { index < tokens.count ? tokens[index] : nil }

        mutating func take() -> Token? {
            defer { index += 1 }
            return peek
        }

        mutating func document() -> Document? {
            var document = Document()
            while let token = peek {
                switch token {
                case .punctuator("{"):
                    guard let set = selectionSet() else { return nil }
                    document.operations.append(set)
                case .name("fragment"):
                    index += 1
                    guard case .name(let name) = take(), take() == .name("on"), case .name = take() else { return nil }
                    skipDirectives()
                    guard let set = selectionSet() else { return nil }
                    document.fragments[name] = set
                case .name("query"), .name("mutation"), .name("subscription"):
                    index += 1
                    if case .name = peek { index += 1 }
                    if peek == .punctuator("(") { skipBalanced(open: "(", close: ")") }
                    skipDirectives()
                    guard let set = selectionSet() else { return nil }
                    document.operations.append(set)
                default:
                    return nil
                }
            }
            return document
        }

        mutating func selectionSet() -> [Selection]? {
            guard take() == .punctuator("{") else { return nil }
            var selections: [Selection] = []
            while let token = peek, token != .punctuator("}") {
                if token == .punctuator("...") {
                    index += 1
                    if peek == .name("on") {
                        index += 2  // `on Type`
                    } else if case .name(let name) = peek {
                        index += 1
                        skipDirectives()
                        selections.append(.spread(name))
                        continue
                    }
                    skipDirectives()
                    guard let children = selectionSet() else { return nil }
                    selections.append(.inline(children))
                    continue
                }
                guard case .name(var name) = take() else { return nil }
                if peek == .punctuator(":") {  // an alias: the field is the name after it
                    index += 1
                    guard case .name(let field) = take() else { return nil }
                    name = field
                }
                let pageSize = peek == .punctuator("(") ? arguments() : nil
                skipDirectives()
                var children: [Selection]?
                if peek == .punctuator("{") {
                    guard let set = selectionSet() else { return nil }
                    children = set
                }
                selections.append(.field(name: name, pageSize: pageSize, children: children))
            }
            return take() == .punctuator("}") ? selections : nil
        }

        /// Reads `( name: value … )`; returns `first`/`last` when given, skips everything else.
        mutating func arguments() -> PageSize? {
            index += 1  // (
            var size: PageSize?
            while let token = peek, token != .punctuator(")") {
                guard case .name(let name) = take(), take() == .punctuator(":") else { return size }
                let isPageSize = name == "first" || name == "last"
                switch peek {
                case .number(let text)?:
                    index += 1
                    if isPageSize, let value = Int(text) { size = .literal(value) }
                case .punctuator("$")?:
                    index += 1
                    if case .name(let variable) = take(), isPageSize { size = .variable(variable) }
                case .punctuator("{")?: skipBalanced(open: "{", close: "}")
                case .punctuator("[")?: skipBalanced(open: "[", close: "]")
                default: index += 1  // a string, enum value, boolean or null
                }
            }
            index += 1  // )
            return size
        }

        mutating func skipDirectives() {
            while peek == .punctuator("@") {
                index += 2  // @name
                if peek == .punctuator("(") { skipBalanced(open: "(", close: ")") }
            }
        }

        mutating func skipBalanced(open: String, close: String) {
            var depth = 0
            while let token = take() {
                if token == .punctuator(open) { depth += 1 }
                if token == .punctuator(close) {
                    depth -= 1
                    if depth == 0 { return }
                }
            }
        }
    }
}
