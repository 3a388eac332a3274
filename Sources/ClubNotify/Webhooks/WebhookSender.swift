import AsyncHTTPClient
import ClubCore
import ClubStore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The JSON a delivery carries (docs/design.md §10): the event's kind and time, and the object it
/// is about with its page in the console. Never a secret or a share token: a receiver that needs
/// more reads the object through the API with its own token.
struct WebhookBody: Encodable {
    struct Object: Encodable {
        let object: String
        let id: String
        let engagementId: String?
        let url: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(object, forKey: .object)
            try container.encode(id, forKey: .id)
            // Present as null rather than missing, so every body has the same shape.
            try container.encode(engagementId, forKey: .engagementId)
            try container.encode(url, forKey: .url)
        }

        enum CodingKeys: String, CodingKey { case object, id, engagementId, url }
    }

    let type: String
    let timestamp: String
    let data: Object

    init(_ event: OutboxEvent, linkBase: String) {
        type = event.kind.rawValue
        timestamp = RFC3339.string(from: event.at)
        data = Object(object: event.entityType, id: event.entityId, engagementId: event.engagementId, url: linkBase + event.path)
    }

    static func text(_ event: OutboxEvent, linkBase: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(WebhookBody(event, linkBase: linkBase))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// HTTP clients for one pass, one per host and checked address: each connects only to the
/// address the guard approved (AsyncHTTPClient's `dnsOverride`), while TLS still verifies the
/// certificate against the URL's host name.
actor PinnedClients {
    private let settings: WebhookSettings
    private var clients: [String: HTTPClient] = [:]

    init(settings: WebhookSettings) {
        self.settings = settings
    }

    func client(host: String, address: String) -> HTTPClient {
        let key = "\(host)|\(address)"
        if let client = clients[key] { return client }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile { tls.additionalTrustRoots = [.file(caFile)] }
        let timeout = TimeAmount.nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: timeout)
        )
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare != address { configuration.dnsOverride = [bare: address] }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[key] = client
        return client
    }

    func shutdown() async {
        for client in clients.values { try? await client.shutdown() }
        clients = [:]
    }
}

/// Makes one attempt at one delivery: checks the address, signs, posts, and reports what came back.
struct WebhookSender: Sendable {
    let settings: WebhookSettings
    let clients: PinnedClients
    let linkBase: @Sendable () -> String

    var addressGuard: WebhookAddressGuard { WebhookAddressGuard(allowPrivateNetworks: settings.allowPrivateNetworks) }

    /// The attempt as the log keeps it, and the body sent (frozen by the store at the first attempt).
    func send(_ due: DueWebhookDelivery, at now: Date) async -> (attempt: WebhookAttempt, payload: String) {
        let payload = due.payload ?? WebhookBody.text(due.event, linkBase: linkBase())
        let started = ContinuousClock.now
        func attempt(status: Int?, head: String?, error: String?) -> WebhookAttempt {
            let elapsed = ContinuousClock.now - started
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return WebhookAttempt(at: now, statusCode: status, durationMs: milliseconds, responseHead: head, error: error)
        }
        do {
            guard let url = URL(string: due.url), let host = url.host else {
                return (attempt(status: nil, head: nil, error: "the endpoint's URL is unusable"), payload)
            }
            if let problem = settings.targets.problem(with: due.url) { return (attempt(status: nil, head: nil, error: problem), payload) }
            let address = try await addressGuard.address(for: host)
            let client = await clients.client(host: host, address: address)
            let body = Array(payload.utf8)
            // The wall clock, not the store's: receivers compare it with theirs to refuse replays.
            let timestamp = Int(Date().timeIntervalSince1970)
            var request = HTTPClientRequest(url: due.url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "user-agent", value: "clubd-webhooks")
            request.headers.add(name: "webhook-id", value: due.messageId)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            request.headers.add(
                name: "webhook-signature",
                value: try WebhookSigner.header(messageId: due.messageId, timestamp: timestamp, body: body, secrets: due.secrets)
            )
            request.body = .bytes(ByteBuffer(bytes: body))
            let timeout = TimeAmount.nanoseconds(Int64(settings.timeout.components.seconds) * 1_000_000_000)
            let response = try await clients.execute(client, request, timeout: timeout)
            return (attempt(status: Int(response.status), head: response.head, error: nil), payload)
        } catch {
            return (attempt(status: nil, head: nil, error: Self.describe(error)), payload)
        }
    }

    /// Words for the log; never the URL, whose path or query may itself be a credential.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let refusal as WebhookAddressGuard.Refusal: refusal.description
        case let error as HTTPClientError: "HTTP client: \(error)"
        default: String(describing: error).prefix(300).description
        }
    }
}

extension PinnedClients {
    /// What the receiver answered: the status and the first bytes of the body (the rest is not read).
    struct Answer {
        let status: UInt
        let head: String
    }

    nonisolated func execute(_ client: HTTPClient, _ request: HTTPClientRequest, timeout: TimeAmount) async throws -> Answer {
        let response = try await client.execute(request, timeout: timeout)
        var head: [UInt8] = []
        for try await chunk in response.body {
            head.append(contentsOf: chunk.readableBytesView.prefix(WebhookAttempt.responseHeadBytes - head.count))
            if head.count >= WebhookAttempt.responseHeadBytes { break }
        }
        return Answer(status: response.status.code, head: WebhookAttempt.head(of: head))
    }
}
