import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Client organisations and their contacts.
struct ClientsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("clients") { request, context in
            let input = try await request.decodeJSON(ClientInput.self, context: context)
            return try JSONCoding.response(
                try await database.createClient(input, by: context.caller()),
                shape: "Client",
                for: context.caller(),
                status: .created
            )
        }
        group.get("clients") { request, context in
            try JSONCoding.listResponse(
                try await database.clients(page: request.pageRequest(), for: context.caller()),
                itemShape: "Client",
                for: context.caller()
            )
        }
        group.get("clients/:id") { _, context in
            try JSONCoding.response(
                try await database.client(context.parameters.require("id"), for: context.caller()),
                shape: "Client",
                for: context.caller()
            )
        }
        group.patch("clients/:id") { request, context in
            let patch = try await request.decodeJSON(ClientPatch.self, context: context)
            let client = try await database.updateClient(
                context.parameters.require("id"),
                patch,
                ifVersion: ETag.ifMatch(request),
                by: context.caller()
            )
            return try JSONCoding.response(client, shape: "Client", for: context.caller())
        }
    }
}
