import PosPlusCore
import Testing

@Suite("Passwords inside URLs are hidden before printing")
struct URLCredentialsTests {
    @Test(arguments: [
        ("smtp://user:pass@mail.example.com:587", "smtp://user:***@mail.example.com:587"),
        ("smtps://a%40b:p%3Ass@host/path?q=1", "smtps://a%40b:***@host/path?q=1"),
        ("https://TOKEN@api.example.com/x", "https://***@api.example.com/x"),
        ("https://user:p@ss@host", "https://user:***@host"),
        ("smpt://u:secret@host", "smpt://u:***@host"),
        ("https://api.stripe.com", "https://api.stripe.com"),
        ("https://host/path@not-credentials", "https://host/path@not-credentials"),
        ("not a url", "not a url"),
    ])
    func passwordsAreHidden(url: String, shown: String) {
        #expect(URLCredentials.hidden(in: url) == shown)
    }
}
