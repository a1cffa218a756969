import HTTPClient

extension JobberGraphQLClient {
    /// The rest of a connection under one object (`invoice(id:) { notes … }`), page by page
    /// from `after`, `pageSize` at a time; stops early once `enough` says the nodes so far
    /// answer the caller's question. Returns the nodes read.
    func remainingNodes(
        of field: String, on root: String, id: String, selecting selection: String, after start: String?, pageSize: Int = 100,
        enough: @Sendable ([JSONValue]) -> Bool = { _ in false }
    ) async throws(JobberError) -> [JSONValue] {
        var nodes: [JSONValue] = []
        var after = start
        repeat {
            let data = try await execute(
                """
                query Page($id: EncodedId!, $after: String) { \(root)(id: $id) { \(field)(first: \(pageSize), after: $after) { \
                nodes { \(selection) } pageInfo { hasNextPage endCursor } } } }
                """,
                variables: ["id": .string(id), "after": after.map(JSONValue.string) ?? .null])
            let connection = data[root]?[field]
            nodes += connection?["nodes"]?.array ?? []
            if enough(nodes) { return nodes }
            after = Self.nextCursor(connection)
        } while after != nil
        return nodes
    }

    /// The cursor to continue from, when a connection says it has more.
    static func nextCursor(_ connection: JSONValue?) -> String? {
        guard connection?["pageInfo"]?["hasNextPage"]?.bool == true else { return nil }
        return connection?["pageInfo"]?["endCursor"]?.string
    }
}
