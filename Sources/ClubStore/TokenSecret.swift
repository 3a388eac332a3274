import Crypto
import Foundation

/// Bearer token secrets: 256 random bits, shown once, stored only as their SHA-256.
public enum TokenSecret {
    /// Bearer tokens start `clb_`, share-link tokens `shr_`, invitation tokens `inv_`, console
    /// session ids `sid_`: a leaked secret is recognisable in a scan, and one kind is never
    /// mistaken for another.
    public static let bearerPrefix = "clb_"
    public static let sharePrefix = "shr_"
    public static let invitationPrefix = "inv_"
    public static let sessionPrefix = "sid_"

    /// A new secret: the prefix and 32 random bytes in URL-safe base64.
    public static func generate(prefix: String = bearerPrefix) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// The hex SHA-256 under which a secret is stored and looked up.
    public static func hash(_ secret: String) -> String {
        HexDigest.sha256(secret)
    }
}
