/// A shared object whose updates carry an `ETag`, so that two people never overwrite each other
/// silently.
public protocol Versioned {
    var version: Int { get }
}

extension Studio: Versioned {}
extension Referral: Versioned {}
extension Agreement: Versioned {}
extension Client: Versioned {}

/// Anything with an opaque id, so that generic store code can journal it.
public protocol Identified {
    var id: String { get }
}

extension Agreement: Identified {}
extension CheckIn: Identified {}
extension StageFeedback: Identified {}
extension FixList: Versioned {}
extension FixItem: Versioned, Identified {}
