/// Hides a password written into a URL (`smtp://user:pass@host` → `smtp://user:***@host`) before
/// the URL is printed: `posplus config show`, error messages and logs print settings, and a
/// terminal scroll-back or a support ticket must not carry the mail server's password.
///
/// Read by hand rather than through `URL`, so that a URL `URL` cannot parse (a typo in a scheme,
/// a space) is still hidden. A user name without a password is hidden too: services put tokens
/// there (`https://TOKEN@host`).
public enum URLCredentials {
    public static func hidden(in text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = text[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = authority[..<at]
        let shown = userInfo.firstIndex(of: ":").map { userInfo[..<$0] + ":***" } ?? "***"
        return String(text[..<authorityStart]) + shown + String(text[at...])
    }
}
