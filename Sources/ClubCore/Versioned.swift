/// A shared object whose updates carry an `ETag`, so that two people never overwrite each other
/// silently.
public protocol Versioned {
    var version: Int { get }
}

extension Studio: Versioned {}
extension Client: Versioned {}
