/// An answer that is an object's own fields with a few more beside them, as one JSON object
/// (`{"id": …, "status": …, "items": […]}` rather than `{"list": {…}, "items": […]}`): the base
/// encodes itself into the same container, then the extras are added.
protocol FlattenedAnswer: Encodable {
    associatedtype Base: Encodable
    associatedtype Extras: Encodable
    var base: Base { get }
    var extras: Extras { get }
}

extension FlattenedAnswer {
    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        try extras.encode(to: encoder)
    }
}
