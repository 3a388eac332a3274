import Crypto
import Foundation
import Logging
import NIOSSL
import SwiftASN1
import X509

/// The server's certificate and key: configured PEM files, or a development pair kept in the data
/// folder: a local certificate authority (`ca.pem`, the file clients trust, and its key) and a
/// `localhost`/127.0.0.1/::1 certificate it signed (`cert.pem`, `key.pem`).
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

    /// Where the material came from, and what a start did to the data folder's development pair.
    public enum Origin: Equatable, Sendable {
        /// The operator's `cert`/`key` files.
        case configured
        /// The development pair as it was.
        case developmentKept
        /// A first start: a new authority and certificate.
        case developmentCreated
        /// A new certificate from the kept authority: clients go on trusting it.
        case developmentLeafRenewed(reason: String)
        /// A new authority and certificate in a folder that had an older pair: clients must trust
        /// the new `ca.pem`.
        case developmentAuthorityReplaced(reason: String)

        /// The line `clubd serve` logs about it, and how loud.
        public func notice(directory: String) -> (level: Logger.Level, message: String) {
            switch self {
            case .configured: (.info, "loaded the TLS certificate")
            case .developmentKept: (.info, "loaded the development certificate; clients trust \(directory)/ca.pem")
            case .developmentCreated: (.info, "generated a development certificate for localhost; clients trust \(directory)/ca.pem")
            case .developmentLeafRenewed(let reason):
                (
                    .notice,
                    "renewed the development certificate (\(reason)); the authority is kept: clients that trust \(directory)/ca.pem need nothing"
                )
            case .developmentAuthorityReplaced(let reason):
                (
                    .warning,
                    "replaced the development authority and certificate (\(reason)): "
                        + "every client must trust the new \(directory)/ca.pem again"
                )
            }
        }
    }

    /// Loads the configured files, or the development pair in `directory`, made when missing and
    /// renewed when it falls short (see `DevelopmentCertificateFolder`).
    public static func load(
        certificatePath: String?,
        keyPath: String?,
        directory: String,
        now: Date = Date()
    ) throws -> (material: TLSMaterial, origin: Origin) {
        if let certificatePath, let keyPath {
            return (TLSMaterial(certificatePEM: try readPEM(certificatePath), privateKeyPEM: try readPEM(keyPath)), .configured)
        }
        return try DevelopmentCertificateFolder(directory: directory).prepare(now: now)
    }

    /// A configured file's text; a file that is missing or unreadable is said as such, with its path.
    static func readPEM(_ path: String) throws(CertificatePairProblem) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CertificatePairProblem(file: path, reason: "no such file")
        }
        guard !isFolder.boolValue else { throw CertificatePairProblem(file: path, reason: "is a folder, not a PEM file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CertificatePairProblem(file: path, reason: "cannot be read by this user (check its owner and mode)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CertificatePairProblem(file: path, reason: "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw CertificatePairProblem(file: path, reason: "is not PEM text") }
        return text
    }

    /// A development pair made in memory, as a first start makes it (see `DevelopmentAuthority`).
    public static func development(now: Date = Date()) throws -> TLSMaterial {
        let authority = try DevelopmentAuthority.make(now: now)
        let leaf = try authority.signLeaf(now: now)
        return TLSMaterial(
            certificatePEM: try leaf.certificate.serializeAsPEM().pemString,
            privateKeyPEM: try leaf.privateKey.serializeAsPEM().pemString,
            authorityPEM: try authority.certificate.serializeAsPEM().pemString
        )
    }

    /// The SHA-256 fingerprint of the leaf certificate, as browsers and `openssl x509 -fingerprint` show it.
    public func fingerprint() throws -> String {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Self.fingerprint(der: serializer.serializedBytes)
    }

    /// SHA-256 of a certificate's DER bytes, in colon-separated upper-case hex.
    public static func fingerprint(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// A NIOSSL server configuration with `TLSProfile`'s settings, the same for the development
    /// pair and an operator's certificate.
    public func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        TLSProfile.apply(to: &configuration)
        return configuration
    }
}
