/// A page request as the API takes it: `limit` in 1...200 and an opaque `cursor` from the
/// previous page.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maxLimit = 200

    public let limit: Int
    /// The position after which the page starts; `nil` for the first page.
    public let after: Int64?

    public init(limit: Int = PageRequest.defaultLimit, after: Int64? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Parses the query parameters, refusing values the API does not document.
    public static func parse(limit: String?, cursor: String?) throws -> PageRequest {
        var validator = Validator()
        var parsedLimit = defaultLimit
        if let limit {
            if let value = Int(limit), (1...maxLimit).contains(value) {
                parsedLimit = value
            } else {
                validator.fail("limit", "must be an integer from 1 to \(maxLimit)")
            }
        }
        var after: Int64?
        if let cursor {
            if let value = Int64(cursor), value >= 0 { after = value } else { validator.fail("cursor", "is not a cursor this server gave out") }
        }
        try validator.finish()
        return PageRequest(limit: parsedLimit, after: after)
    }
}

/// One page of a collection and the cursor of the next page, if there is one.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page: Encodable where Item: Encodable {}
