import CCurl
import Foundation
import PosPlusCore

/// How posplus reaches the business's mail server.
public struct SMTPSettings: Equatable, Sendable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS from the start).
    public var url: String
    public var from: EmailAddress
    public var username: String?
    public var password: Secret<String>?
    /// Refuse to send unless the connection is encrypted (STARTTLS or smtps). Off only for a
    /// server on this machine (tests, a local relay).
    public var requireTLS: Bool
    public var timeout: Duration

    public init(
        url: String, from: EmailAddress, username: String? = nil, password: Secret<String>? = nil, requireTLS: Bool = true,
        timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.from = from
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
    }
}

/// An email to send: plain text, UTF-8, and optionally the same content as an HTML page (a
/// receipt), sent as `multipart/alternative` so a mail program shows the page and any other
/// shows the text.
public struct EmailMessage: Equatable, Sendable {
    public var to: EmailAddress
    public var subject: String
    public var body: String
    /// A whole HTML document, already escaped by whoever built it (``ReceiptHTML`` does).
    public var html: String?

    public init(to: EmailAddress, subject: String, body: String, html: String? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.html = html
    }
}

/// Sends mail with libcurl's SMTP support: STARTTLS when `requireTLS`, certificates verified,
/// the transfer on its own thread.
public struct SMTPMailer: Sendable {
    public let settings: SMTPSettings
    private let now: @Sendable () -> Date

    public init(settings: SMTPSettings, now: @escaping @Sendable () -> Date = Date.init) {
        self.settings = settings
        self.now = now
    }

    public func send(_ message: EmailMessage) async throws(MessagingError) {
        let payload = Array(render(message).utf8)
        let settings = self.settings
        let result = await onOwnThread(named: "posplus.smtp") {
            SMTPTransfer(settings: settings, recipient: message.to, payload: payload).run()
        }
        if case .failure(let error) = result { throw error }
    }

    /// RFC 5322 text: headers, a blank line, the body with CRLF line ends. With an HTML part,
    /// a `multipart/alternative` body: the text first (the fallback), then the HTML in base64,
    /// whose 76-character lines keep a one-line page under SMTP's 998-byte line limit.
    func render(_ message: EmailMessage) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject =
            message.subject.allSatisfy(\.isASCII)
            ? message.subject : "=?UTF-8?B?" + Data(message.subject.utf8).base64EncodedString() + "?="
        let headers = [
            "From: \(settings.from.value)", "To: \(message.to.value)", "Subject: \(subject)", "Date: \(formatter.string(from: now()))",
            "Message-ID: <\(UUID().uuidString.lowercased())@posplus>", "MIME-Version: 1.0",
        ]
        let text = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", ""] + Self.textLines(message.body)
        guard let html = message.html else { return (headers + text).joined(separator: "\r\n") + "\r\n" }
        let boundary = "posplus-" + UUID().uuidString.lowercased()
        let encoded = Data(html.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        let page =
            ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + encoded.split(separator: "\r").map(String.init)
        let lines =
            headers + ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)"] + text + ["--\(boundary)"]
            + page + ["--\(boundary)--"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The text's lines, dot-stuffed.
    static func textLines(_ body: String) -> [String] {
        body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
    }
}

/// One blocking SMTP transfer.
final class SMTPTransfer {
    private let settings: SMTPSettings
    private let recipient: EmailAddress
    private let payload: [UInt8]
    private var offset = 0

    init(settings: SMTPSettings, recipient: EmailAddress, payload: [UInt8]) {
        self.settings = settings
        self.recipient = recipient
        self.payload = payload
    }

    func run() -> Result<Void, MessagingError> {
        guard let scheme = URL(string: settings.url)?.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps" else {
            return .failure(.notConfigured("smtp.url (\(URLCredentials.hidden(in: settings.url))) as smtp:// or smtps://"))
        }
        guard let handle = curl_easy_init() else { return .failure(.transport("curl_easy_init failed")) }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        recipients = curl_slist_append(recipients, "<\(recipient.value)>")
        ccurl_setopt_string(handle, CURLOPT_URL, settings.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_SMTP | CURLPROTO_SMTPS))
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.wholeMilliseconds))
        ccurl_setopt_long(handle, CURLOPT_USE_SSL, settings.requireTLS ? Int(CURLUSESSL_ALL.rawValue) : Int(CURLUSESSL_NONE.rawValue))
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(settings.from.value)>")
        ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        if let username = settings.username { ccurl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = settings.password { ccurl_setopt_string(handle, CURLOPT_PASSWORD, password.expose()) }
        ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        ccurl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(payload.count))
        ccurl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque())
        ccurl_setopt_read_function(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
            Unmanaged<SMTPTransfer>.fromOpaque(context!).takeUnretainedValue().read(into: buffer, size * count)
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { return .failure(.smtp(String(cString: curl_easy_strerror(code)))) }
        return .success(())
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, payload.count - offset)
        payload.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
