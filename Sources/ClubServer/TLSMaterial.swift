import ClubStore
import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The server's certificate and key: configured PEM files, or a development pair made on first
/// start in the data folder: a local certificate authority (`ca.pem`, the file clients trust)
/// and a `localhost`/127.0.0.1 certificate it signed (`cert.pem`, `key.pem`).
public struct TLSMaterial: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String
    /// The development authority's certificate, when this pair was generated.
    public let authorityPEM: String?

    public init(certificatePEM: String, privateKeyPEM: String, authorityPEM: String? = nil) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.authorityPEM = authorityPEM
    }

    /// Loads the configured files, or the generated pair in `directory`, generating it when missing.
    public static func load(certificatePath: String?, keyPath: String?, directory: String) throws -> (material: TLSMaterial, generated: Bool) {
        if let certificatePath, let keyPath {
            return (
                TLSMaterial(
                    certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
                    privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8)
                ), false
            )
        }
        let certFile = directory + "/cert.pem"
        let keyFile = directory + "/key.pem"
        let authorityFile = directory + "/ca.pem"
        if FileManager.default.fileExists(atPath: certFile), FileManager.default.fileExists(atPath: keyFile) {
            return try load(certificatePath: certFile, keyPath: keyFile, directory: directory)
        }
        let material = try development()
        try DataFolder.createPrivateDirectory(atPath: directory)
        try PrivateFile.write(material.privateKeyPEM, to: keyFile)
        try material.certificatePEM.write(toFile: certFile, atomically: true, encoding: .utf8)
        try (material.authorityPEM ?? "").write(toFile: authorityFile, atomically: true, encoding: .utf8)
        return (material, true)
    }

    /// A P-256 authority that signs one server certificate for `localhost` and 127.0.0.1, both
    /// valid for two years. The authority's key is discarded, so it can sign nothing else.
    /// (A lone self-signed leaf is not accepted as a trust anchor by BoringSSL-based clients.)
    public static func development(now: Date = Date()) throws -> TLSMaterial {
        let validFrom = now.addingTimeInterval(-3600)
        let validUntil = now.addingTimeInterval(2 * 365 * 24 * 3600)
        let authorityKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let authorityName = try DistinguishedName {
            CommonName("clubd development authority")
            OrganizationName("clubd development")
        }
        let authority = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: authorityKey.publicKey,
            notValidBefore: validFrom,
            notValidAfter: validUntil,
            issuer: authorityName,
            subject: authorityName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: authorityKey
        )
        let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let serverName = try DistinguishedName {
            CommonName("localhost")
            OrganizationName("clubd development")
        }
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: serverKey.publicKey,
            notValidBefore: validFrom,
            notValidAfter: validUntil,
            issuer: authorityName,
            subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: authorityKey
        )
        return TLSMaterial(
            certificatePEM: try server.serializeAsPEM().pemString,
            privateKeyPEM: try serverKey.serializeAsPEM().pemString,
            authorityPEM: try authority.serializeAsPEM().pemString
        )
    }

    /// The SHA-256 fingerprint of the leaf certificate, as browsers and `openssl x509 -fingerprint` show it.
    public func fingerprint() throws -> String {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// A NIOSSL server configuration that refuses anything older than TLS 1.2 (NIOSSL's own
    /// default minimum is 1.0).
    public func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
