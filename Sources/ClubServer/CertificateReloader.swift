import Foundation
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import Synchronization
import UnixSignals
import X509

/// What is wrong with a certificate and key, naming the file at fault; said in one line.
public struct CertificatePairProblem: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}

/// A certificate chain and key that were checked as an ACME client's renewal may be wrong: both
/// parse, the key is the certificate's, the certificate is in date. Ready for NIOSSL.
public struct CheckedCertificatePair: Sendable {
    public let material: TLSMaterial
    public let fingerprint: String
    public let notValidAfter: Date
    let chain: [NIOSSLCertificateSource]
    let key: NIOSSLPrivateKeySource

    public init(_ material: TLSMaterial, certificateFile: String, keyFile: String, now: Date = Date()) throws(CertificatePairProblem) {
        func problem(_ file: String, _ reason: String) -> CertificatePairProblem { CertificatePairProblem(file: file, reason: reason) }
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: material.certificatePEM).map { try Certificate(pemDocument: $0) }
        } catch {
            throw problem(certificateFile, "does not hold a readable PEM certificate chain (cut short, or not PEM)")
        }
        guard let leaf = certificates.first else { throw problem(certificateFile, "holds no PEM certificate") }
        let privateKey: Certificate.PrivateKey
        do {
            privateKey = try Certificate.PrivateKey(pemEncoded: material.privateKeyPEM)
        } catch {
            throw problem(keyFile, Self.keyProblem(material.privateKeyPEM))
        }
        // NIOSSL would serve a key that is not the certificate's; every handshake would then fail.
        guard privateKey.publicKey == leaf.publicKey else { throw problem(keyFile, "the key does not match the certificate in \(certificateFile)") }
        guard leaf.notValidAfter > now else { throw problem(certificateFile, "the certificate expired on \(leaf.notValidAfter.ISO8601Format())") }
        guard leaf.notValidBefore <= now else {
            throw problem(certificateFile, "the certificate is not valid before \(leaf.notValidBefore.ISO8601Format())")
        }
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(material.certificatePEM.utf8)).map { .certificate($0) }
        } catch {
            throw problem(certificateFile, "NIOSSL cannot read the certificate chain (\(error))")
        }
        do {
            key = .privateKey(try NIOSSLPrivateKey(bytes: Array(material.privateKeyPEM.utf8), format: .pem))
        } catch {
            throw problem(keyFile, "NIOSSL cannot read the private key (\(error))")
        }
        var serializer = DER.Serializer()
        do { try serializer.serialize(leaf) } catch { throw problem(certificateFile, "the certificate cannot be serialized (\(error))") }
        self.material = material
        self.fingerprint = TLSMaterial.fingerprint(der: serializer.serializedBytes)
        self.notValidAfter = leaf.notValidAfter
    }

    /// Why a key file was not read, in words rather than as ASN.1's error: a file of the wrong kind names its kind.
    static func keyProblem(_ pem: String) -> String {
        let kinds = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]
        if let document = try? PEMDocument(pemString: pem), !kinds.contains(document.discriminator) {
            return "holds a PEM \(document.discriminator), not an unencrypted private key (\(kinds.joined(separator: ", ")))"
        }
        return "does not hold a readable unencrypted PEM private key (cut short, or not PEM)"
    }
}

/// Where the certificate comes from, read again at every reload.
public enum CertificateSource: Sendable, Equatable {
    /// The operator's `cert`/`key` files, which an ACME client replaces.
    case files(certificate: String, key: String)
    /// The development pair of the data folder's `tls/`, prepared as at start (renewed when short).
    case development(directory: String)

    public init(certificatePath: String?, keyPath: String?, directory: String) {
        if let certificatePath, let keyPath {
            self = .files(certificate: certificatePath, key: keyPath)
        } else {
            self = .development(directory: directory)
        }
    }

    /// The file a problem outside the pair's own check (a development folder that cannot be written) is put on.
    var place: String {
        switch self {
        case .files(let certificate, _): certificate
        case .development(let directory): directory
        }
    }

    /// Reads and checks the pair; a problem names its file.
    public func load(now: Date = Date()) throws -> (pair: CheckedCertificatePair, origin: TLSMaterial.Origin) {
        switch self {
        case .files(let certificate, let key):
            let material = TLSMaterial(certificatePEM: try TLSMaterial.readPEM(certificate), privateKeyPEM: try TLSMaterial.readPEM(key))
            return (try CheckedCertificatePair(material, certificateFile: certificate, keyFile: key, now: now), .configured)
        case .development(let directory):
            let folder = DevelopmentCertificateFolder(directory: directory)
            let (material, origin) = try folder.prepare(now: now)
            return (try CheckedCertificatePair(material, certificateFile: folder.certificateFile, keyFile: folder.keyFile, now: now), origin)
        }
    }
}

/// The certificate new connections get, replaced on SIGHUP without restarting the listener
/// (docs/design.md §6.1). NIOSSL asks `sslContextCallback` at every client hello, so a handshake
/// after a reload gets the new pair; connections already open keep theirs.
public final class CertificateReloader: Sendable {
    public let source: CertificateSource
    private let current: Mutex<CheckedCertificatePair>

    public init(source: CertificateSource, initial: CheckedCertificatePair) {
        self.source = source
        self.current = Mutex(initial)
    }

    /// The pair served to new connections now.
    public var pair: CheckedCertificatePair { current.withLock { $0 } }

    /// `TLSProfile`'s settings with the start's pair, and the callback that hands each handshake the current one.
    public func serverConfiguration() -> TLSConfiguration {
        let start = pair
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: start.chain, privateKey: start.key)
        TLSProfile.apply(to: &configuration)
        configuration.sslContextCallback = { [self] _, promise in
            let serving = pair
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = serving.chain
            override.privateKey = serving.key
            promise.succeed(override)
        }
        return configuration
    }

    /// Reads the source again; a good pair replaces the served one, a bad one is refused and the old one kept.
    @discardableResult
    public func reload(now: Date = Date(), logger: Logger) -> Result<CheckedCertificatePair, CertificatePairProblem> {
        let loaded: (pair: CheckedCertificatePair, origin: TLSMaterial.Origin)
        do {
            loaded = try source.load(now: now)
        } catch {
            let problem = error as? CertificatePairProblem ?? CertificatePairProblem(file: source.place, reason: "\(error)")
            logger.error("refused the new TLS certificate, the previous one stays in use: \(problem)")
            return .failure(problem)
        }
        let previous = current.withLock { serving in
            defer { serving = loaded.pair }
            return serving.fingerprint
        }
        if case .development(let directory) = source, loaded.origin != .developmentKept {
            let notice = loaded.origin.notice(directory: directory)
            logger.log(level: notice.level, "\(notice.message)")
        }
        logger.notice(
            "reloaded the TLS certificate for new connections",
            metadata: [
                "sha256": "\(loaded.pair.fingerprint)", "expires": "\(loaded.pair.notValidAfter.ISO8601Format())",
                "changed": "\(previous != loaded.pair.fingerprint)", "file": "\(source.place)",
            ]
        )
        return .success(loaded.pair)
    }

    /// Reloads at every SIGHUP until the task is cancelled.
    public func reloadOnHangup(_ hangups: UnixSignalsSequence, logger: Logger) async {
        for await _ in hangups {
            reload(logger: logger)
        }
    }
}
