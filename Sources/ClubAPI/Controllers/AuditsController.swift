import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Audits answered point by point, and their response letters.
struct AuditsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("engagements/:id/audits") { _, context in
            let found = try await database.audits(ofEngagement: context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(ItemList(items: found), itemShape: "Audit", for: context.caller())
        }
        group.post("engagements/:id/audits") { request, context in
            let input = try await request.decodeJSON(AuditInput.self, context: context)
            return try JSONCoding.response(
                try await database.createAudit(context.parameters.require("id"), input, by: context.caller()),
                shape: "Audit",
                for: context.caller(),
                status: .created
            )
        }
        group.get("audits/:id") { _, context in
            try JSONCoding.response(
                try await database.audit(context.parameters.require("id"), for: context.caller()),
                shape: "Audit",
                for: context.caller()
            )
        }
        group.post("audit-findings/:id/rebuttal") { request, context in
            let input = try await request.decodeJSON(RebuttalInput.self, context: context)
            let audit = try await database.rebut(findingId: context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(audit, shape: "Audit", for: context.caller())
        }
        group.post("audits/:id/answer") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            return try JSONCoding.response(
                try await database.answerAudit(context.parameters.require("id"), by: context.caller()),
                shape: "Audit",
                for: context.caller()
            )
        }
        group.post("audits/:id/close") { request, context in
            let closing = try await request.decodeJSON(AuditClosing.self, context: context)
            let audit = try await database.closeAudit(context.parameters.require("id"), closing, by: context.caller())
            return try JSONCoding.response(audit, shape: "Audit", for: context.caller())
        }
        group.get("audits/:id/letter") { request, context in
            let markdown = (request.headers[.accept] ?? "").contains("text/markdown")
            // `?lang=` first, then `Accept-Language`, then English (DESIGN §9).
            let language = Catalogs.bundled.choose(
                request.uri.queryParameters["lang"].map(String.init),
                acceptLanguage: request.headers[.acceptLanguage]
            )
            let letter = try await database.responseLetter(
                context.parameters.require("id"),
                format: markdown ? .markdown : .plainText,
                language: language,
                for: context.caller()
            )
            return Response(
                status: .ok,
                headers: [
                    .contentType: markdown ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8",
                    .contentLanguage: language,
                ],
                body: .init(byteBuffer: ByteBuffer(string: letter))
            )
        }
    }
}
