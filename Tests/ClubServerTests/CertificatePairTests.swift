import ClubServer
import Crypto
import Foundation
import Logging
import SwiftASN1
import Testing
import X509

/// The check a reloaded pair passes before it replaces the served one (issue 14, item 4): an ACME
/// client's files may be half-written, mismatched or stale, and NIOSSL would serve them anyway.
@Suite("A certificate pair is checked before it is served")
struct CertificatePairTests {
    static let day: TimeInterval = 86400

    /// A self-signed P-256 certificate for `localhost` valid from `from` for `days`, and its key.
    static func pair(from: Date = Date().addingTimeInterval(-3600), days: Double = 90) throws -> TLSMaterial {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("localhost") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: from,
            notValidAfter: from.addingTimeInterval(days * day),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName("localhost")]) },
            issuerPrivateKey: key
        )
        return TLSMaterial(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: try key.serializeAsPEM().pemString)
    }

    static func check(_ material: TLSMaterial) -> Result<CheckedCertificatePair, CertificatePairProblem> {
        Result { () throws(CertificatePairProblem) in
            try CheckedCertificatePair(material, certificateFile: "/etc/club/cert.pem", keyFile: "/etc/club/key.pem")
        }
    }

    static func problem(_ material: TLSMaterial) -> CertificatePairProblem? {
        if case .failure(let problem) = check(material) { return problem }
        return nil
    }

    @Test func aMatchingPairInDateIsAcceptedWithItsFingerprintAndExpiry() throws {
        let material = try Self.pair(days: 90)
        let checked = try Self.check(material).get()
        #expect(checked.fingerprint == (try material.fingerprint()))
        #expect(checked.fingerprint.count == 32 * 3 - 1)
        #expect(abs(checked.notValidAfter.timeIntervalSinceNow - (90 * Self.day - 3600)) < 60)
    }

    @Test func aKeyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws {
        let first = try Self.pair()
        let second = try Self.pair()
        let problem = try #require(Self.problem(TLSMaterial(certificatePEM: first.certificatePEM, privateKeyPEM: second.privateKeyPEM)))
        #expect(problem.file == "/etc/club/key.pem")
        #expect(problem.reason.contains("does not match the certificate in /etc/club/cert.pem"), "\(problem)")
    }

    @Test func anExpiredOrNotYetValidCertificateIsRefusedNamingTheCertificateFile() throws {
        let expired = try #require(Self.problem(try Self.pair(from: Date().addingTimeInterval(-100 * Self.day), days: 90)))
        #expect(expired.file == "/etc/club/cert.pem")
        #expect(expired.reason.contains("expired on"), "\(expired)")
        let early = try #require(Self.problem(try Self.pair(from: Date().addingTimeInterval(2 * Self.day))))
        #expect(early.reason.contains("not valid before"), "\(early)")
    }

    @Test func unparsablePEMIsRefusedNamingItsFile() throws {
        let good = try Self.pair()
        let halfWritten = String(good.certificatePEM.prefix(good.certificatePEM.count / 2))
        let certificate = try #require(Self.problem(TLSMaterial(certificatePEM: halfWritten, privateKeyPEM: good.privateKeyPEM)))
        #expect(
            certificate.file == "/etc/club/cert.pem" && certificate.reason.contains("does not hold a readable PEM certificate chain"),
            "\(certificate)"
        )
        let empty = try #require(Self.problem(TLSMaterial(certificatePEM: "", privateKeyPEM: good.privateKeyPEM)))
        #expect(empty.file == "/etc/club/cert.pem" && empty.reason.contains("no PEM certificate"), "\(empty)")
        let key = try #require(Self.problem(TLSMaterial(certificatePEM: good.certificatePEM, privateKeyPEM: good.certificatePEM)))
        #expect(key.file == "/etc/club/key.pem" && key.reason.contains("holds a PEM CERTIFICATE, not an unencrypted private key"), "\(key)")
        let cutKey = String(good.privateKeyPEM.prefix(good.privateKeyPEM.count / 2))
        let halfKey = try #require(Self.problem(TLSMaterial(certificatePEM: good.certificatePEM, privateKeyPEM: cutKey)))
        #expect(halfKey.file == "/etc/club/key.pem" && halfKey.reason.contains("does not hold a readable unencrypted PEM private key"), "\(halfKey)")
    }

    @Test func aMissingFileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-pair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = try Self.pair()
        let certificate = folder.appendingPathComponent("cert.pem").path
        try good.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("key.pem").path
        #expect(throws: CertificatePairProblem(file: missing, reason: "no such file")) {
            try CertificateSource.files(certificate: certificate, key: missing).load()
        }
    }

    /// Without configured files a reload prepares the development folder as a start does: kept as it
    /// is, or a new leaf from the kept authority when the leaf is gone.
    @Test func aDevelopmentPairIsPreparedAgainOnReload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-pair-\(UUID().uuidString)")
        let source = CertificateSource(certificatePath: nil, keyPath: nil, directory: folder.path)
        let (initial, origin) = try source.load()
        #expect(origin == .developmentCreated)
        let reloader = CertificateReloader(source: source, initial: initial)
        let logger = Logger(label: "certificate-pair-test") { _ in SwiftLogNoOpLogHandler() }
        #expect(try reloader.reload(logger: logger).get().fingerprint == initial.fingerprint, "a sound pair is kept")

        let authority = try String(contentsOf: folder.appendingPathComponent("ca.pem"), encoding: .utf8)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("cert.pem"))
        let renewed = try reloader.reload(logger: logger).get()
        #expect(renewed.fingerprint != initial.fingerprint)
        #expect(renewed.material.authorityPEM == authority, "the same authority signed it: clients need nothing")
        #expect(reloader.pair.fingerprint == renewed.fingerprint)
    }

    /// A reload keeps the served pair when the new one is bad, and takes a good one.
    @Test func aReloaderKeepsTheOldPairWhenTheNewOneIsBad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-pair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        func install(_ material: TLSMaterial) throws {
            try material.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
            try material.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        }
        let (first, second) = (try Self.pair(), try Self.pair())
        try install(first)
        let source = CertificateSource.files(certificate: certificate, key: key)
        let reloader = CertificateReloader(source: source, initial: try source.load().pair)
        let logger = Logger(label: "certificate-pair-test") { _ in SwiftLogNoOpLogHandler() }

        try install(TLSMaterial(certificatePEM: second.certificatePEM, privateKeyPEM: first.privateKeyPEM))
        guard case .failure(let problem) = reloader.reload(logger: logger) else {
            Issue.record("a mismatched pair was taken")
            return
        }
        #expect(problem.file == key)
        #expect(reloader.pair.fingerprint == (try first.fingerprint()))

        try install(second)
        let taken = try reloader.reload(logger: logger).get()
        #expect(taken.fingerprint == (try second.fingerprint()))
        #expect(reloader.pair.fingerprint == (try second.fingerprint()))
    }
}
