import Foundation

/// The parts of a `multipart/*` email as a mail program would show them: each part's content
/// type and its body, base64 decoded where the part says so. Nil when the message is not
/// multipart. Enough MIME for posplus's own mail, not a general parser.
public enum MIMEParts {
    public static func parts(of message: String) -> [(type: String, body: String)]? {
        let text = message.replacingOccurrences(of: "\r\n", with: "\n")
        guard let header = text.split(separator: "\n").first(where: { $0.lowercased().hasPrefix("content-type: multipart/") }),
            let start = header.range(of: "boundary=\"")?.upperBound, let end = header[start...].firstIndex(of: "\"")
        else { return nil }
        let boundary = "--" + header[start..<end]
        let pieces = text.components(separatedBy: "\n" + boundary)
        return pieces.dropFirst().filter { !$0.hasPrefix("--") }.map { piece in
            let (head, body) = split(piece)
            let type =
                head.first { $0.lowercased().hasPrefix("content-type:") }.map {
                    String($0.dropFirst(13)).trimmingCharacters(in: .whitespaces)
                } ?? ""
            let base64 = head.contains { $0.lowercased() == "content-transfer-encoding: base64" }
            let decoded = base64 ? String(decoding: Data(base64Encoded: body.filter { !$0.isWhitespace }) ?? Data(), as: UTF8.self) : body
            return (type, decoded)
        }
    }

    /// A part's header lines and its body (after the first blank line).
    private static func split(_ piece: String) -> ([String], String) {
        let lines = piece.drop { $0 == "\n" }.components(separatedBy: "\n")
        guard let blank = lines.firstIndex(of: "") else { return (lines, "") }
        return (Array(lines[..<blank]), lines[(blank + 1)...].joined(separator: "\n"))
    }
}
