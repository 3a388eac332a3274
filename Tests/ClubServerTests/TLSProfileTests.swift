import ClubServer
import Crypto
import Foundation
import Logging
import NIOSSL
import SwiftASN1
import Testing
import X509

/// The development certificate as strict clients see it (issue 21, part 3), its renewal at start,
/// and the protocol settings every listener gets (part 4). The live checks against the running
/// daemon (a strict Python client, sslyze) are in ClubAPITests' `TLSScanTests`.
@Suite("TLS profile and the development certificate")
struct TLSProfileTests {
    static let localhost: GeneralName = .dnsName("localhost")
    static let ipv4: GeneralName = .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))
    static let ipv6: GeneralName = .ipAddress(ASN1OctetString(contentBytes: ArraySlice(Array(repeating: 0, count: 15) + [1])))
    static let day: TimeInterval = 24 * 3600

    /// A fresh `tls/` folder inside a fresh temporary data folder.
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("clubd-tls-\(UUID().uuidString)/tls")
    }

    static func certificate(_ folder: URL, _ name: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
    }

    static func text(_ folder: URL, _ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// RFC 5280: positive, at most 20 octets in DER (where a high first bit costs a leading zero).
    static func expectStrictSerial(_ serial: Certificate.SerialNumber, _ what: String) {
        #expect(serial.bytes.count <= 20, "\(what)'s serial has \(serial.bytes.count) bytes")
        #expect((serial.bytes.first ?? 0x80) & 0x80 == 0, "\(what)'s serial is positive")
        #expect(serial.bytes.contains { $0 != 0 }, "\(what)'s serial is not zero")
    }

    @Test func theAuthorityHasAKeyIdentifierCertificateSigningUsagesPathLengthZeroAndAShortSerial() throws {
        let material = try TLSMaterial.development()
        let authority = try Certificate(pemEncoded: try #require(material.authorityPEM))
        let extensions = authority.extensions

        #expect(authority.issuer == authority.subject, "self-issued")
        #expect(authority.publicKey.isValidSignature(authority.signature, for: authority), "self-signed")
        #expect(authority.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(P256.Signing.PublicKey(authority.publicKey) != nil, "a P-256 key")
        Self.expectStrictSerial(authority.serialNumber, "the authority")

        let identifier = try #require(try extensions.subjectKeyIdentifier, "Subject Key Identifier")
        #expect(identifier.keyIdentifier.count == 20, "SHA-1 of the public key, as RFC 5280 suggests")
        #expect(extensions[oid: .X509ExtensionID.subjectKeyIdentifier]?.critical == false)

        #expect(try extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)

        let usage = try #require(try extensions.keyUsage)
        #expect(usage == KeyUsage(keyCertSign: true, cRLSign: true), "keyCertSign and cRLSign only: \(usage)")
        #expect(extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)

        // The kept key can vouch for no host name but localhost (IP ranges: see DevelopmentAuthority).
        let constraints = try #require(try extensions.nameConstraints)
        #expect(extensions[oid: .X509ExtensionID.nameConstraints]?.critical == true)
        #expect(constraints.permittedSubtrees == [.dnsName("localhost")])
        #expect(constraints.excludedSubtrees.isEmpty)

        #expect(authority.notValidAfter.timeIntervalSince(authority.notValidBefore) == DevelopmentAuthority.lifespan)
    }

    @Test func theLeafHasBothKeyIdentifiersServerUsagesTheLoopbackNamesAndAtMost365Days() throws {
        let now = Date()
        let material = try TLSMaterial.development(now: now)
        let authority = try Certificate(pemEncoded: try #require(material.authorityPEM))
        let leaf = try Certificate(pemEncoded: material.certificatePEM)
        let extensions = leaf.extensions

        #expect(leaf.issuer == authority.subject)
        #expect(authority.publicKey.isValidSignature(leaf.signature, for: leaf), "signed by the authority")
        #expect(leaf.version == .v3)
        Self.expectStrictSerial(leaf.serialNumber, "the leaf")

        let authorityIdentifier = try #require(try extensions.authorityKeyIdentifier, "Authority Key Identifier")
        #expect(authorityIdentifier.keyIdentifier == (try authority.extensions.subjectKeyIdentifier)?.keyIdentifier)
        #expect(extensions[oid: .X509ExtensionID.authorityKeyIdentifier]?.critical == false, "OpenSSL's strict mode refuses a critical one")
        let identifier = try #require(try extensions.subjectKeyIdentifier, "Subject Key Identifier")
        #expect(identifier == SubjectKeyIdentifier(hash: leaf.publicKey))

        #expect(try extensions.basicConstraints == .notCertificateAuthority)
        #expect(try extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try extensions.extendedKeyUsage.map { Array($0) } == [.serverAuth])

        let names = try #require(try extensions.subjectAlternativeNames)
        #expect(Set(names) == [Self.localhost, Self.ipv4, Self.ipv6])

        let lifespan = leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore)
        #expect(lifespan <= 365 * Self.day, "valid for \(lifespan / Self.day) days")
        #expect(lifespan > 364 * Self.day)
        #expect(leaf.notValidBefore <= now && leaf.notValidAfter <= authority.notValidAfter)
        let key = try Certificate.PrivateKey(pemEncoded: material.privateKeyPEM)
        #expect(key.publicKey == leaf.publicKey)
    }

    @Test func aFirstStartWritesTheAuthorityItsPrivateKeyAndTheLeafAndTheNextStartKeepsThem() throws {
        let folder = Self.folder()
        let first = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path)
        #expect(first.origin == .developmentCreated)
        for name in ["ca-key.pem", "key.pem"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            #expect(attributes[.posixPermissions] as? Int == 0o600, "\(name) is private")
        }
        #expect(try Self.text(folder, "cert.pem") == first.material.certificatePEM)
        #expect(try Self.text(folder, "ca.pem") == first.material.authorityPEM)

        let second = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path)
        #expect(second.origin == .developmentKept)
        #expect(second.material.certificatePEM == first.material.certificatePEM)
        #expect(second.material.authorityPEM == first.material.authorityPEM)
    }

    @Test func aLeafWithUnderThirtyDaysLeftIsRenewedAtStartByTheSameAuthority() throws {
        let folder = Self.folder()
        let now = Date()
        _ = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path, now: now)
        let authorityPEM = try Self.text(folder, "ca.pem")
        let authorityKeyPEM = try Self.text(folder, "ca-key.pem")

        // An almost expired leaf made by the same authority: 25 days left.
        let authority = DevelopmentAuthority(
            certificate: try Certificate(pemEncoded: authorityPEM),
            privateKey: try Certificate.PrivateKey(pemEncoded: authorityKeyPEM)
        )
        let old = try authority.signLeaf(now: now.addingTimeInterval(-340 * Self.day))
        try old.certificate.serializeAsPEM().pemString.write(to: folder.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        try old.privateKey.serializeAsPEM().pemString.write(to: folder.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)

        let renewed = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path, now: now)
        guard case .developmentLeafRenewed(let reason) = renewed.origin else {
            Issue.record("expected a renewal, got \(renewed.origin)")
            return
        }
        #expect(reason.contains("days left"), "\(reason)")
        #expect(try Self.text(folder, "ca.pem") == authorityPEM, "the authority is kept: clients keep trusting it")
        #expect(try Self.text(folder, "ca-key.pem") == authorityKeyPEM)
        let leaf = try Self.certificate(folder, "cert.pem")
        #expect(leaf.serialNumber != old.certificate.serialNumber)
        #expect(leaf.notValidAfter.timeIntervalSince(now) > 360 * Self.day)
        #expect(authority.certificate.publicKey.isValidSignature(leaf.signature, for: leaf))
        #expect(try Certificate.PrivateKey(pemEncoded: Self.text(folder, "key.pem")).publicKey == leaf.publicKey)
        #expect(try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path, now: now).origin == .developmentKept)

        // A leaf whose key was replaced (a start cut short between the two files) is renewed too.
        try P256.Signing.PrivateKey().pemRepresentation.write(to: folder.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        let mismatch = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path, now: now)
        #expect(mismatch.origin == .developmentLeafRenewed(reason: "the certificate: key.pem does not match cert.pem"))
        #expect(try Self.text(folder, "ca.pem") == authorityPEM)
    }

    @Test func anOlderFoldersPairIsReplacedAuthorityIncludedAndTheLogSaysClientsMustTrustItAgain() throws {
        let folder = Self.folder()
        let old = try OldDevelopmentPair.make()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try old.authority.write(to: folder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try old.certificate.write(to: folder.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        try old.key.write(to: folder.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)

        let loaded = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path)
        guard case .developmentAuthorityReplaced(let reason) = loaded.origin else {
            Issue.record("expected the authority to be replaced, got \(loaded.origin)")
            return
        }
        #expect(reason.contains("ca-key.pem"), "\(reason)")
        let notice = loaded.origin.notice(directory: folder.path)
        #expect(notice.level == .warning)
        #expect(notice.message.contains("every client must trust the new \(folder.path)/ca.pem again"))
        #expect(try Self.text(folder, "ca.pem") != old.authority)
        let authority = try Self.certificate(folder, "ca.pem")
        #expect(try authority.extensions.subjectKeyIdentifier != nil)
        let leaf = try Self.certificate(folder, "cert.pem")
        #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier == (try authority.extensions.subjectKeyIdentifier)?.keyIdentifier)
        #expect(try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path).origin == .developmentKept)
    }

    /// `openssl verify -x509_strict` accepts the pair for each of its names, and refuses the pair
    /// older versions made (errors 85 and 86: no key identifiers), so the check can tell.
    @Test(.enabled(if: OpenSSL.canRun, "needs openssl, or root to install it"))
    func strictOpenSSLAcceptsTheDevelopmentPairForEachNameAndRefusedTheOldOne() async throws {
        let folder = Self.folder()
        _ = try TLSMaterial.load(certificatePath: nil, keyPath: nil, directory: folder.path)
        for name in ["-verify_hostname localhost", "-verify_ip 127.0.0.1", "-verify_ip ::1"] {
            let (status, output) = try await OpenSSL.verify(folder: folder, extra: name)
            #expect(status == 0 && output.contains("cert.pem: OK"), "openssl verify \(name):\n\(output)")
        }

        let old = try OldDevelopmentPair.make()
        let oldFolder = Self.folder()
        try FileManager.default.createDirectory(at: oldFolder, withIntermediateDirectories: true)
        try old.authority.write(to: oldFolder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try old.certificate.write(to: oldFolder.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        let (status, output) = try await OpenSSL.verify(folder: oldFolder, extra: "")
        #expect(status != 0, "the old pair should fail the strict check:\n\(output)")
        #expect(output.contains("Authority Key Identifier") || output.contains("Subject Key Identifier"), "\(output)")
    }

    @Test func developmentAndOperatorCertificatesGetTheSameProtocolSettings() throws {
        // An operator's certificate: a P-384 key, self-signed, in files given as --cert/--key.
        let folder = Self.folder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = Certificate.PrivateKey(P384.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("club.example") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: [1, 2, 3]),
            publicKey: key.publicKey,
            notValidBefore: Date(),
            notValidAfter: Date().addingTimeInterval(90 * Self.day),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA384,
            extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName("club.example")]) },
            issuerPrivateKey: key
        )
        let certificatePath = folder.appendingPathComponent("operator.pem").path
        let keyPath = folder.appendingPathComponent("operator-key.pem").path
        try certificate.serializeAsPEM().pemString.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try key.serializeAsPEM().pemString.write(toFile: keyPath, atomically: true, encoding: .utf8)
        let configured = try TLSMaterial.load(certificatePath: certificatePath, keyPath: keyPath, directory: folder.path)
        #expect(configured.origin == .configured)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("ca.pem").path), "no development pair is made")

        let allowed: Set<NIOTLSCipher> = [
            .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ]
        for material in [configured.material, try TLSMaterial.development()] {
            let configuration = try material.serverConfiguration()
            #expect(configuration.minimumTLSVersion == .tlsv12)
            #expect(configuration.maximumTLSVersion == nil, "TLS 1.3 stays on")
            #expect(configuration.applicationProtocols == ["http/1.1"])
            // What BoringSSL made of the list: the context's own TLS 1.2 suites.
            let suites = configuration.cipherSuiteValues
            #expect(Set(suites) == allowed, "TLS 1.2 suites: \(suites.map { String($0.rawValue, radix: 16) })")
            #expect(!suites.contains(.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA) && !suites.contains(.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA))
        }
    }
}

/// `openssl verify` on a folder's pair, installing openssl first when missing and run as root.
enum OpenSSL {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var canRun: Bool { getuid() == 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    static func verify(folder: URL, extra: String) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.currentDirectoryURL = root
        process.arguments = [
            "-c",
            #"source Scripts/lib/system-packages.sh && ensure_debian_packages openssl && cd "$1" && openssl verify -x509_strict -purpose sslserver "#
                + extra + " -CAfile ca.pem cert.pem",
            "verify", folder.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // On a thread of its own, off the cooperative pool and Dispatch's (whose pool grows for
        // blocked threads only now and then on Linux): apt-get may take a while on a fresh machine.
        let data = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The pair clubd made before issue 21, as older data folders hold it: no key identifiers,
/// valid for 730 days, the authority's key discarded.
enum OldDevelopmentPair {
    static func make(now: Date = Date()) throws -> (authority: String, certificate: String, key: String) {
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
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: serverKey.publicKey,
            notValidBefore: validFrom,
            notValidAfter: validUntil,
            issuer: authorityName,
            subject: try DistinguishedName {
                CommonName("localhost")
                OrganizationName("clubd development")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: authorityKey
        )
        return (
            try authority.serializeAsPEM().pemString,
            try server.serializeAsPEM().pemString,
            try serverKey.serializeAsPEM().pemString
        )
    }
}
