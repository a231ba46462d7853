public import Foundation

/// A self-signed certificate for 127.0.0.1 (`cert.pem`, `key.pem`), made
/// with the openssl command, for the test servers' TLS.
public struct SelfSignedCertificate: Sendable {
    public let cert: String
    public let key: String

    /// Makes one in `folder`, on the calling thread (a key takes a moment:
    /// call it from a thread of its own, as ``make(in:)`` does).
    public init(makingIn folder: URL) throws {
        cert = folder.appendingPathComponent("cert.pem").path
        key = folder.appendingPathComponent("key.pem").path
        let openssl = try CommandRun.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        guard openssl.status == 0 else { throw CertificateError(message: "openssl req failed: \(openssl.stderr)") }
    }

    /// Makes one in `folder` on a thread of its own.
    public static func make(in folder: URL) async throws -> SelfSignedCertificate {
        try await TestEnvironment.onOwnThread { try SelfSignedCertificate(makingIn: folder) }
    }

    struct CertificateError: Error { let message: String }
}
