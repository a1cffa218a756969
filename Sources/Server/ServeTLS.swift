import HummingbirdTLS
import NIOSSL

/// Where `posplus serve` may listen, and with what (issue 12, part 6): on loopback by default;
/// anywhere else only with TLS (a certificate and key in config) or when the operator says the
/// traffic is protected another way (`--insecure-listen`, a TLS reverse proxy on the same host
/// or network). Staff passwords, session cookies and card-present charges must never cross a
/// network in the clear by accident.
public enum ListenPolicy {
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Whether `host` is reachable from this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if ["localhost", "::1", "[::1]"].contains(name) { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public static func check(host: String, tls: Bool, insecureListen: Bool) throws(Refusal) {
        guard !isLoopback(host), !tls, !insecureListen else { return }
        throw Refusal(
            description: "serve would listen on \(host), which other machines can reach, without TLS. Set server.tls_certificate "
                + "and server.tls_key (PEM files) to serve HTTPS, or, behind a TLS reverse proxy, say --insecure-listen.")
    }
}

/// serve's TLS settings, read from PEM files; every refusal names the file and what is wrong.
public enum ServeTLS {
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static func configuration(certificate: String?, key: String?) throws(Problem) -> TLSConfiguration? {
        switch (certificate, key) {
        case (nil, nil): return nil
        case (.some, nil), (nil, .some):
            throw Problem(description: "server.tls_certificate and server.tls_key go together: set both, or neither.")
        case (.some(let certificate), .some(let key)):
            let chain: [NIOSSLCertificate]
            do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
                throw Problem(description: "server.tls_certificate \(certificate) is not a readable PEM certificate file (\(error)).")
            }
            guard !chain.isEmpty else { throw Problem(description: "server.tls_certificate \(certificate) holds no certificate.") }
            let privateKey: NIOSSLPrivateKey
            do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
                throw Problem(description: "server.tls_key \(key) is not a readable PEM private key (\(error)).")
            }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
            configuration.minimumTLSVersion = .tlsv12
            return configuration
        }
    }
}
