import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Strong entity tags carrying an object's version, and the `If-Match` precondition.
enum ETag {
    static func format(_ version: Int) -> String { "\"\(version)\"" }

    /// The version `If-Match` requires, or `nil` when the header is absent or `*`. A tag that
    /// names no version of ours can never match, so it becomes -1 and is answered like a stale
    /// one (412).
    static func ifMatch(_ request: Request) -> Int? {
        guard let value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*" else { return nil }
        var tag = Substring(value)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        guard tag.count >= 2, tag.first == "\"", tag.last == "\"", let version = Int(tag.dropFirst().dropLast()) else {
            return -1
        }
        return version
    }
}
