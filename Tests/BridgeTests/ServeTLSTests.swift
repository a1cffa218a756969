import Bridge
import Foundation
import Logging
import Server
import TestSupport
import Testing

/// Reaching serve from outside (issue 12, part 6): loopback by default; any other address only
/// with TLS or `--insecure-listen`; with a certificate and key, HTTPS on a real port, checked by
/// a client that trusts only the test certificate (Python's `ssl`, a second TLS stack).
@Suite("serve: TLS and where it may listen", .timeLimit(.minutes(1)))
struct ServeTLSTests {
    /// A self-signed certificate for 127.0.0.1 and its key, made for these tests only.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let certificate = fixtures.appendingPathComponent("serve-tls-test.crt").path
    static let key = fixtures.appendingPathComponent("serve-tls-test.key").path

    @Test func onlyLoopbackMayGoWithoutTLS() throws {
        for host in ["127.0.0.1", "127.3.2.1", "localhost", "::1"] {
            #expect(ListenPolicy.isLoopback(host), "\(host)")
            try ListenPolicy.check(host: host, tls: false, insecureListen: false)
        }
        for host in ["0.0.0.0", "192.168.1.20", "::", "127.0.0.1.example.com", "posplus.example.com"] {
            #expect(!ListenPolicy.isLoopback(host), "\(host)")
            #expect(throws: ListenPolicy.Refusal.self) { try ListenPolicy.check(host: host, tls: false, insecureListen: false) }
            try ListenPolicy.check(host: host, tls: true, insecureListen: false)
            try ListenPolicy.check(host: host, tls: false, insecureListen: true)
        }
    }

    @Test func aCertificateWithoutItsKeyOrAFileThatIsNoneIsRefusedByName() throws {
        #expect(try ServeTLS.configuration(certificate: nil, key: nil) == nil)
        #expect(throws: ServeTLS.Problem(description: "server.tls_certificate and server.tls_key go together: set both, or neither.")) {
            try ServeTLS.configuration(certificate: Self.certificate, key: nil)
        }
        let problem = #expect(throws: ServeTLS.Problem.self) {
            try ServeTLS.configuration(certificate: "/nonexistent/cert.pem", key: Self.key)
        }
        #expect(problem?.description.hasPrefix("server.tls_certificate /nonexistent/cert.pem is not a readable PEM") == true)
        let swapped = #expect(throws: ServeTLS.Problem.self) { try ServeTLS.configuration(certificate: Self.key, key: Self.key) }
        #expect(swapped?.description.contains("server.tls_certificate") == true)
    }

    @Test func withACertificateServeSpeaksHTTPSOnly() async throws {
        let tls = try #require(try ServeTLS.configuration(certificate: Self.certificate, key: Self.key))
        let server = try await PosPlusServer(jobberInbox: nil, logger: Logger(label: "t")).start(port: 0, tls: tls)
        let port = server.port
        let health = try await Self.fetch("https://127.0.0.1:\(port)/health")
        #expect(health == #"ok {"status":"ok"}"#, "\(health)")
        let plain = try await Self.fetch("http://127.0.0.1:\(port)/health")
        #expect(!plain.hasPrefix("ok"), "plain HTTP gets no answer from the HTTPS port: \(plain)")
        await server.stop()
    }

    @Test func serveRefusesAnOpenAddressWithoutTLSAndAcceptsItWithTLS() async throws {
        let world = try await APIWorld.start()
        let refusal = #expect(throws: ListenPolicy.Refusal.self) {
            _ = try PosPlusServe.services(app: world.app, host: "0.0.0.0", port: 0, clock: ContinuousClock())
        }
        #expect(refusal?.description.contains("--insecure-listen") == true)
        _ = try PosPlusServe.services(app: world.app, host: "0.0.0.0", port: 0, clock: ContinuousClock(), insecureListen: true)
        await world.stop()

        let secured = try await APIWorld.start(extra: "[server]\ntls_certificate = \"\(Self.certificate)\"\ntls_key = \"\(Self.key)\"")
        _ = try PosPlusServe.services(app: secured.app, host: "0.0.0.0", port: 0, clock: ContinuousClock())
        await secured.stop()
    }

    /// `ok BODY`, or `error WHY`, from a client that trusts only the test certificate.
    static func fetch(_ url: String) async throws -> String {
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[1])
            try:
                print("ok " + urllib.request.urlopen(sys.argv[2], context=context, timeout=10).read().decode(), end="")
            except Exception as error:
                print("error " + repr(error), end="")
            """
        return try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["30", "python3", "-c", script, certificate, url]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()  // bounded by timeout(1)
            return String(decoding: data, as: UTF8.self)
        }
    }
}
