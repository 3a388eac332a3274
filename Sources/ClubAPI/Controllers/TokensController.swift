import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /v1/me` for every caller; `POST/GET /v1/tokens` and `DELETE /v1/tokens/{id}` for the head.
struct TokensController<Context: APIRequestContext> {
    let database: AppDatabase

    struct Me: Encodable {
        let tokenId: String
        let name: String
        let role: Role
        let head: Bool
        let studioId: String?
        let clientId: String?
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("me") { _, context in
            let caller = try context.caller()
            return try JSONCoding.response(
                Me(
                    tokenId: caller.tokenId,
                    name: caller.name,
                    role: caller.role,
                    head: caller.isHead,
                    studioId: caller.studioId,
                    clientId: caller.clientId
                )
            )
        }
        group.post("tokens") { request, context in
            let grant = try await request.decodeJSON(TokenGrant.self, context: context)
            let issued = try await database.issueToken(grant, by: context.caller())
            return try JSONCoding.secretResponse(IssuedTokenAnswer(issued), status: .created)
        }
        group.get("tokens") { request, context in
            try JSONCoding.response(try await database.tokens(page: request.pageRequest(), for: context.caller()))
        }
        group.delete("tokens/:id") { _, context in
            _ = try await database.revokeToken(context.parameters.require("id"), by: context.caller())
            return Response(status: .noContent)
        }
    }
}
