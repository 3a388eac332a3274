import Crypto
import Foundation
import SwiftASN1
import X509

/// The local certificate authority of a data folder without a configured certificate, and the
/// `localhost` certificates it signs, shaped so strict clients accept them (`openssl verify
/// -x509_strict`, Python's default context, Mozilla's intermediate profile): key identifiers on
/// both, the usual key usages, a leaf of at most 365 days, serials of at most 20 bytes.
///
/// The authority's key stays in the data folder (0600) so that a leaf can be renewed without
/// asking every client to trust a new authority; a name constraint keeps that key from vouching
/// for any host name but `localhost`.
public struct DevelopmentAuthority: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey

    /// How long an authority lasts: many leaves, one trust decision.
    public static let lifespan: TimeInterval = 10 * 365 * 24 * 3600
    /// A leaf lasts 365 days at most (Mozilla's intermediate profile allows 366)...
    public static let maximumLeafLifespan: TimeInterval = 365 * 24 * 3600
    /// ...and is made one second shorter, as X.509 validity includes both ends.
    public static let leafLifespan: TimeInterval = maximumLeafLifespan - 1
    /// A leaf with less left than this is renewed at start.
    public static let renewalWindow: TimeInterval = 30 * 24 * 3600
    /// Certificates start an hour back, for clocks slightly behind ours.
    static let backdating: TimeInterval = 3600

    /// The names every development leaf carries, and the only ones the authority may sign.
    public static let dnsName = "localhost"
    /// 127.0.0.1 and ::1.
    public static let ipAddresses: [[UInt8]] = [[127, 0, 0, 1], Array(repeating: 0, count: 15) + [1]]

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new P-256 authority, named with its date and a random suffix so that two data folders'
    /// authorities never share a name in a trust store.
    public static func make(now: Date = Date()) throws -> DevelopmentAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let suffix = randomSerial().bytes.prefix(3).map { String(format: "%02x", $0) }.joined()
        let day = now.ISO8601Format().prefix(10)
        let name = try DistinguishedName {
            OrganizationName("clubd development")
            CommonName("clubd development authority \(day) \(suffix)")
        }
        let validFrom = now.addingTimeInterval(-backdating)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: randomSerial(),
            publicKey: key.publicKey,
            notValidBefore: validFrom,
            notValidAfter: validFrom.addingTimeInterval(lifespan),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
                // No IP ranges beside the name: BoringSSL's verifier (swift-nio-ssl's clients) refuses
                // a chain with IP name constraints outright; a SAN's IP address stays unconstrained.
                Critical(NameConstraints(permittedDNSDomains: [dnsName]))
            },
            issuerPrivateKey: key
        )
        return DevelopmentAuthority(certificate: certificate, privateKey: key)
    }

    /// A new server certificate for `localhost`, 127.0.0.1 and ::1, and its key.
    public func signLeaf(now: Date = Date()) throws -> (certificate: Certificate, privateKey: Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let validFrom = now.addingTimeInterval(-Self.backdating)
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Self.randomSerial(),
            publicKey: key.publicKey,
            notValidBefore: validFrom,
            notValidAfter: validFrom.addingTimeInterval(Self.leafLifespan),
            issuer: certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("clubd development")
                CommonName(Self.dnsName)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: try authorityKeyIdentifier())
                SubjectAlternativeNames(
                    [.dnsName(Self.dnsName)] + Self.ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
                )
            },
            issuerPrivateKey: privateKey
        )
        return (leaf, key)
    }

    func authorityKeyIdentifier() throws -> ArraySlice<UInt8> {
        guard let identifier = try certificate.extensions.subjectKeyIdentifier else {
            throw DevelopmentCertificateProblem("the authority has no subject key identifier")
        }
        return identifier.keyIdentifier
    }

    /// 16 random bytes, the first one 1...127: positive, never padded to a 21st byte, never zero.
    static func randomSerial() -> Certificate.SerialNumber {
        Certificate.SerialNumber(bytes: [UInt8.random(in: 1...0x7F)] + (0..<15).map { _ in UInt8.random(in: 0...255) })
    }
}

/// Why a development certificate or authority cannot be used as it is.
public struct DevelopmentCertificateProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
