import NIOSSL

/// The protocol settings every listener gets, whatever its certificate: Mozilla's intermediate
/// profile (https://wiki.mozilla.org/Security/Server_Side_TLS). TLS 1.2 and 1.3 only; TLS 1.2
/// restricted to forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305, no CBC);
/// TLS 1.3's suites are BoringSSL's own and cannot be configured (all three are in the profile).
///
/// Cipher order: BoringSSL chooses by the server's list only with `SSL_OP_CIPHER_SERVER_PREFERENCE`,
/// which swift-nio-ssl does not expose; with every suite offered being one the profile recommends,
/// the client's choice among them is what the intermediate profile itself asks for.
public enum TLSProfile {
    /// In the profile's order: ECDSA before RSA (the development certificate is ECDSA; an operator's
    /// may be RSA), AES-GCM before ChaCha20-Poly1305.
    public static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Only HTTP/1.1 is served; a client offering only `h2` gets no ALPN answer and speaks HTTP/1.1.
    public static let applicationProtocols = ["http/1.1"]

    public static func apply(to configuration: inout TLSConfiguration) {
        // NIOSSL's own default minimum is TLS 1.0.
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = nil
        configuration.cipherSuiteValues = tls12CipherSuites
        configuration.applicationProtocols = applicationProtocols
    }
}
