import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird

/// Rights before input (docs/design.md §2): a role that may never do a route's action is refused 403 before a byte
/// of its body is read, and a caller whose input is refused is told 404 instead when the object it names is out of
/// its reach, so that neither the body's problems nor the object's existence leak to a caller who may not act.
///
/// The object's reach is looked up only when the input was refused: an accepted request is answered by its use
/// case, which checks the same reach in its own transaction, and pays for no extra read.
struct RightsBeforeInputMiddleware<Context: APIRequestContext>: RouterMiddleware {
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let endpoint = context.endpointPath else { return try await next(request, context) }
        // A route without a declared right fails closed; `RightsBeforeInputTests` names any such route.
        guard let right = RouteRights.right(method: request.method.rawValue, endpoint: endpoint) else {
            throw DomainError.forbidden("this route declares no right (\(request.method) \(endpoint))")
        }
        let principal = try context.caller()
        if let action = right.action { try Policy.require(principal, action) }
        do {
            return try await next(request, context)
        } catch {
            guard let object = right.object, Self.refusesInput(error), let id = context.parameters.get("id"),
                try await !database.reaches(object, id: id, by: principal, for: right.action)
            else { throw error }
            throw DomainError.notFound(entity: object.entity, id: id)
        }
    }

    /// Whether the error is about the request's input or the object's state, not about who is asking: those a caller
    /// outside the object's reach must not see. 401, 403, 404 and 429 stand as they are; a 5xx is a bug, never hidden.
    static func refusesInput(_ error: any Error) -> Bool {
        let status = ProblemDetails(error)?.status ?? (error as? any HTTPResponseError)?.status.code
        guard let status, (400..<500).contains(status) else { return false }
        return ![401, 403, 404, 429].contains(status)
    }
}
