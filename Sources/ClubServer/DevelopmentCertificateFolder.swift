import ClubStore
import Foundation
import SwiftASN1
import X509

/// The development pair in a data folder's `tls/`: `ca.pem` (what clients trust), `ca-key.pem`
/// (0600), `cert.pem` and `key.pem` (0600). At every start the pair is checked against the shape
/// `DevelopmentAuthority` makes: a leaf that falls short or has under 30 days left is renewed by
/// the same authority, so clients keep trusting it; an authority that falls short (older folders'
/// have no key identifier and no kept key) is replaced, and clients must trust it again.
struct DevelopmentCertificateFolder {
    let directory: String

    var authorityFile: String { directory + "/ca.pem" }
    var authorityKeyFile: String { directory + "/ca-key.pem" }
    var certificateFile: String { directory + "/cert.pem" }
    var keyFile: String { directory + "/key.pem" }

    /// The folder's pair, made, renewed or kept as it is, and what was done.
    func prepare(now: Date) throws -> (material: TLSMaterial, origin: TLSMaterial.Origin) {
        let authority: DevelopmentAuthority
        let origin: TLSMaterial.Origin
        switch readAuthority(now: now) {
        case .success(let kept):
            authority = kept
            switch checkLeaf(signedBy: kept, now: now) {
            case .success(let material): return (material, .developmentKept)
            case .failure(let problem): origin = .developmentLeafRenewed(reason: problem.description)
            }
        case .failure(let problem):
            let firstStart = ![authorityFile, certificateFile].contains { FileManager.default.fileExists(atPath: $0) }
            origin = firstStart ? .developmentCreated : .developmentAuthorityReplaced(reason: problem.description)
            authority = try DevelopmentAuthority.make(now: now)
            try DataFolder.createPrivateDirectory(atPath: directory)
            try PrivateFile.write(try authority.privateKey.serializeAsPEM().pemString, to: authorityKeyFile)
            try write(try authority.certificate.serializeAsPEM().pemString, to: authorityFile)
        }
        let leaf = try authority.signLeaf(now: now)
        let material = TLSMaterial(
            certificatePEM: try leaf.certificate.serializeAsPEM().pemString,
            privateKeyPEM: try leaf.privateKey.serializeAsPEM().pemString,
            authorityPEM: try authority.certificate.serializeAsPEM().pemString
        )
        // The key first: a start cut short between the two leaves a mismatch, which the next start renews.
        try PrivateFile.write(material.privateKeyPEM, to: keyFile)
        try write(material.certificatePEM, to: certificateFile)
        return (material, origin)
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func read(_ path: String, _ what: String) throws(DevelopmentCertificateProblem) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .init("\(what) is missing") }
        return text
    }

    /// The kept authority, when it can go on signing leaves.
    func readAuthority(now: Date) -> Result<DevelopmentAuthority, DevelopmentCertificateProblem> {
        Result { () throws(DevelopmentCertificateProblem) in
            let certificatePEM = try read(authorityFile, "ca.pem")
            let certificate = try parse { try Certificate(pemEncoded: certificatePEM) }
            let keyPEM = try read(authorityKeyFile, "ca-key.pem (older clubd versions discarded the authority's key)")
            let key = try parse { try Certificate.PrivateKey(pemEncoded: keyPEM) }
            let extensions = certificate.extensions
            let problem = firstProblem([
                (key.publicKey == certificate.publicKey, "ca-key.pem does not match ca.pem"),
                (certificate.publicKey.isValidSignature(certificate.signature, for: certificate), "ca.pem is not self-signed"),
                (Self.isStrict(certificate.serialNumber), "its serial number is not positive with at most 20 bytes"),
                ((try? extensions.subjectKeyIdentifier) != nil, "it has no subject key identifier"),
                ((try? extensions.basicConstraints) == .isCertificateAuthority(maxPathLength: 0), "it is not an authority with pathlen 0"),
                (Self.keyUsage(certificate).map { $0.keyCertSign && $0.cRLSign } == true, "its key usage is not keyCertSign, cRLSign"),
                ((try? extensions.nameConstraints) != nil, "it has no name constraints"),
                (certificate.notValidBefore <= now, "it is not valid yet"),
                (
                    certificate.notValidAfter >= now.addingTimeInterval(DevelopmentAuthority.leafLifespan),
                    "it expires before a new certificate would"
                ),
            ])
            if let problem { throw DevelopmentCertificateProblem("the authority: \(problem)") }
            return DevelopmentAuthority(certificate: certificate, privateKey: key)
        }
    }

    /// The kept leaf, when strict clients accept it and it has 30 days or more left.
    func checkLeaf(signedBy authority: DevelopmentAuthority, now: Date) -> Result<TLSMaterial, DevelopmentCertificateProblem> {
        Result { () throws(DevelopmentCertificateProblem) in
            let certificatePEM = try read(certificateFile, "cert.pem")
            let keyPEM = try read(keyFile, "key.pem")
            let certificate = try parse { try Certificate(pemEncoded: certificatePEM) }
            let key = try parse { try Certificate.PrivateKey(pemEncoded: keyPEM) }
            let extensions = certificate.extensions
            let names = (try? extensions.subjectAlternativeNames).map { Array($0) } ?? []
            let wanted: [GeneralName] =
                [.dnsName(DevelopmentAuthority.dnsName)] + DevelopmentAuthority.ipAddresses.map { .ipAddress(.init(contentBytes: $0[...])) }
            let lifespan = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore)
            let left = certificate.notValidAfter.timeIntervalSince(now)
            let problem = firstProblem([
                (key.publicKey == certificate.publicKey, "key.pem does not match cert.pem"),
                (
                    certificate.issuer == authority.certificate.subject
                        && authority.certificate.publicKey.isValidSignature(certificate.signature, for: certificate),
                    "it is not signed by the authority"
                ),
                (Self.isStrict(certificate.serialNumber), "its serial number is not positive with at most 20 bytes"),
                (
                    (try? extensions.authorityKeyIdentifier)?.keyIdentifier == (try? authority.authorityKeyIdentifier()),
                    "it has no authority key identifier naming the authority"
                ),
                ((try? extensions.subjectKeyIdentifier) != nil, "it has no subject key identifier"),
                ((try? extensions.basicConstraints) == .notCertificateAuthority, "its basic constraints do not say it is no authority"),
                (Self.keyUsage(certificate)?.digitalSignature == true, "its key usage is not digitalSignature"),
                ((try? extensions.extendedKeyUsage)?.contains(.serverAuth) == true, "its extended key usage is not serverAuth"),
                (wanted.allSatisfy { names.contains($0) }, "it does not name localhost, 127.0.0.1 and ::1"),
                (lifespan <= DevelopmentAuthority.maximumLeafLifespan, "it is valid for \(Int(lifespan / 86400)) days (365 at most)"),
                (certificate.notValidBefore <= now, "it is not valid yet"),
                (left >= DevelopmentAuthority.renewalWindow, "it has \(max(0, Int(left / 86400))) days left (under 30)"),
                (certificate.notValidAfter <= authority.certificate.notValidAfter, "it outlives its authority"),
            ])
            if let problem { throw DevelopmentCertificateProblem("the certificate: \(problem)") }
            let authorityPEM = try parse { try authority.certificate.serializeAsPEM().pemString }
            return TLSMaterial(certificatePEM: certificatePEM, privateKeyPEM: keyPEM, authorityPEM: authorityPEM)
        }
    }

    private func firstProblem(_ checks: [(passed: Bool, problem: String)]) -> String? {
        checks.first { !$0.passed }?.problem
    }

    private func parse<Value>(_ body: () throws -> Value) throws(DevelopmentCertificateProblem) -> Value {
        do {
            return try body()
        } catch let problem as DevelopmentCertificateProblem {
            throw problem
        } catch {
            throw DevelopmentCertificateProblem("a file cannot be read as PEM: \(error)")
        }
    }

    /// RFC 5280: a positive integer of at most 20 octets (DER adds a zero before a high first bit).
    static func isStrict(_ serial: Certificate.SerialNumber) -> Bool {
        let bytes = serial.bytes
        return !bytes.isEmpty && bytes.count <= 20 && (bytes.first ?? 0) & 0x80 == 0 && bytes.contains { $0 != 0 }
    }

    private static func keyUsage(_ certificate: Certificate) -> KeyUsage? {
        try? certificate.extensions.keyUsage
    }
}
