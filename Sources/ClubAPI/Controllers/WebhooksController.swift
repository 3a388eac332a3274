import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Webhook endpoints of the club's integrations and their delivery log (docs/design.md §10),
/// for coordinators. The secret is answered when an endpoint is registered or its secret
/// rotated, marked `no-store` so that neither a cache nor an idempotent replay keeps it.
struct WebhooksController<Context: APIRequestContext> {
    let database: AppDatabase
    /// Where deliveries may go: public addresses only, unless the configuration allows private networks.
    let targets: WebhookTargetRule

    /// An endpoint with its secret, shown once.
    struct WebhookSecretAnswer: FlattenedAnswer {
        struct Extras: Encodable {
            let secret: String
            let previousSecretUntil: Date?
        }

        let base: Webhook
        let extras: Extras

        init(_ registered: WebhookWithSecret) {
            base = registered.webhook
            extras = Extras(secret: registered.secret, previousSecretUntil: registered.previousSecretUntil)
        }
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("webhooks") { request, context in
            // Refused before the body is read: a party learns nothing of what a webhook takes.
            try Policy.require(context.caller(), .manageWebhooks)
            let input = try await request.decodeJSON(WebhookInput.self, context: context)
            let registered = try await database.registerWebhook(input, targets: targets, by: context.caller())
            var response = try JSONCoding.secretResponse(WebhookSecretAnswer(registered), status: .created)
            response.headers[.eTag] = ETag.format(registered.webhook.version)
            return response
        }
        group.get("webhooks") { request, context in
            try JSONCoding.response(try await database.webhooks(page: request.pageRequest(), for: context.caller()))
        }
        group.get("webhooks/:id") { _, context in
            try JSONCoding.response(try await database.webhook(context.parameters.require("id"), for: context.caller()))
        }
        group.patch("webhooks/:id") { request, context in
            try Policy.require(context.caller(), .manageWebhooks)
            let patch = try await request.decodeJSON(WebhookPatch.self, context: context)
            let webhook = try await database.updateWebhook(
                context.parameters.require("id"),
                patch,
                ifVersion: ETag.ifMatch(request),
                targets: targets,
                by: context.caller()
            )
            return try JSONCoding.response(webhook)
        }
        group.delete("webhooks/:id") { _, context in
            try await database.deleteWebhook(context.parameters.require("id"), by: context.caller())
            return Response(status: .noContent)
        }
        group.post("webhooks/:id/rotate-secret") { _, context in
            let rotated = try await database.rotateWebhookSecret(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.secretResponse(WebhookSecretAnswer(rotated), status: .ok)
        }
        group.get("webhooks/:id/deliveries") { request, context in
            let page = try await database.webhookDeliveries(
                of: context.parameters.require("id"),
                page: request.pageRequest(),
                for: context.caller()
            )
            return try JSONCoding.response(page)
        }
        group.post("webhook-deliveries/:id/redeliver") { _, context in
            let delivery = try await database.redeliverWebhook(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.response(delivery, status: .accepted)
        }
    }
}
