import Hummingbird

/// Gives every request the configured body timeout.
struct BodyTimeoutMiddleware: RouterMiddleware {
    typealias Context = ClubRequestContext
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyTimeout = timeout
        return try await next(request, context)
    }
}
