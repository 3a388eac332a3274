import ClubCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error into `application/problem+json`. Errors it does not know are logged and
/// answered with a bodyless-detail 500: a 5xx is always a bug.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, logger: context.logger)
        }
    }

    static func response(for error: any Error, logger: Logger) -> Response {
        if let problem = ProblemDetails(error) {
            return render(problem)
        }
        if let error = error as? any HTTPResponseError {
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            var response = render(ProblemDetails(status: error.status, detail: message))
            if let headers = (error as? HTTPError)?.headers {
                for field in headers where field.name != .contentType { response.headers.append(field) }
            }
            return response
        }
        logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
        return render(ProblemDetails(status: .internalServerError, detail: "the server failed; the error was logged"))
    }

    static func render(_ problem: ProblemDetails) -> Response {
        let body = (try? JSONCoding.encoder.encode(problem)) ?? Data()
        return Response(
            status: .init(code: problem.status),
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
