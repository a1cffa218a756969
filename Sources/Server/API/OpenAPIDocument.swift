import Hummingbird
import NIOCore

/// The API's OpenAPI 3.1 description, `Sources/Server/API/openapi.json`, compiled into the
/// binary (SwiftPM's `embedInCode`), so `GET /api/openapi.json` needs no file beside the binary
/// and no network. Written by hand and kept honest by a test: every route the router has is in
/// it with the same permission, and it describes no route the router lacks.
///
/// Why not generate the routes from it (swift-openapi-generator with swift-openapi-hummingbird)?
/// The generator's build plugin builds OpenAPIKit, Yams and the generator on every clean build
/// (minutes on this 2-core machine, every CI run), and its handlers would still need the
/// staff authenticator, permissions, idempotency keys and the payment path wired around them.
/// The test gives the same guarantee — document and routes cannot drift — for none of that.
enum OpenAPIDocument {
    static var bytes: [UInt8] { PackageResources.openapi_json }

    static let endpoint = APIEndpoint(APIRoute(.get, "/api/openapi.json", .anyone)) { _ in
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
