import HTTPTypes
import Hummingbird
import NIOCore

/// The staff console: one HTML page, a small script and a style sheet, compiled into the binary
/// (SwiftPM's `embedInCode`), so the counter PC needs no internet and no file beside the binary.
/// The page talks only to the JSON API under `/api`, with the same logins, CSRF tokens and
/// idempotency keys a script uses: it adds no second way to move money.
///
/// Every answer carries a strict Content-Security-Policy (this origin only, no inline script or
/// style, no framing) and `Cache-Control: no-cache`, so a new binary's page is never mixed with
/// an old cached script.
enum ConsoleRoutes {
    /// The console's paths outside `/api`.
    static let pagePaths = ["/", "/console"]

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func register(on router: Router<ServerContext>) {
        for path in pagePaths {
            router.get(RouterPath(path)) { _, _ in asset(PackageResources.console_html, type: "text/html; charset=utf-8") }
        }
        router.get("/assets/console.js") { _, _ in
            asset(PackageResources.console_js, type: "text/javascript; charset=utf-8")
        }
        router.get("/assets/payment.js") { _, _ in
            asset(PackageResources.payment_js, type: "text/javascript; charset=utf-8")
        }
        // The office's pages (today's payments, terminals, reconcile report) and saved cards.
        router.get("/assets/office.js") { _, _ in asset(PackageResources.office_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/cards.js") { _, _ in asset(PackageResources.cards_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/forecast.js") { _, _ in asset(PackageResources.forecast_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/followups.js") { _, _ in asset(PackageResources.followups_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/link.js") { _, _ in
            asset(PackageResources.link_js, type: "text/javascript; charset=utf-8")
        }
        router.get("/assets/plans.js") { _, _ in asset(PackageResources.plans_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/console.css") { _, _ in asset(PackageResources.console_css, type: "text/css; charset=utf-8") }
        registerReceipt(on: router)
    }

    /// The printable receipt page (`/receipt?payment=ID`): its own page and print style sheet,
    /// so printing it leaves out the console around it.
    static func registerReceipt(on router: Router<ServerContext>) {
        router.get("/receipt") { _, _ in asset(PackageResources.receipt_html, type: "text/html; charset=utf-8") }
        router.get("/assets/receipt.js") { _, _ in asset(PackageResources.receipt_js, type: "text/javascript; charset=utf-8") }
        router.get("/assets/receipt.css") { _, _ in asset(PackageResources.receipt_css, type: "text/css; charset=utf-8") }
    }

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
