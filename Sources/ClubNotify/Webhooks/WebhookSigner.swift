import Crypto
import Foundation

/// Signs deliveries as the Standard Webhooks specification says: HMAC-SHA256, keyed with the
/// base64-decoded part of the secret after `whsec_`, over `{webhook-id}.{webhook-timestamp}.{body}`,
/// sent as `webhook-signature: v1,<base64>`; several signatures, space-separated, during a
/// rotation's overlap so that a receiver with either secret verifies.
public enum WebhookSigner {
    public enum Failure: Error, Equatable {
        case unreadableSecret
    }

    /// `v1,<base64>` for one secret.
    public static func signature(messageId: String, timestamp: Int, body: [UInt8], secret: String) throws -> String {
        let key = try self.key(secret)
        var content = Array("\(messageId).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header value: one signature per secret, in the order given.
    public static func header(messageId: String, timestamp: Int, body: [UInt8], secrets: [String]) throws -> String {
        try secrets.map { try signature(messageId: messageId, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    static func key(_ secret: String) throws -> SymmetricKey {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst("whsec_".count)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { throw Failure.unreadableSecret }
        return SymmetricKey(data: bytes)
    }
}
