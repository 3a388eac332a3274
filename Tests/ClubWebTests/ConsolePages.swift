import Testing

/// The suites of the console's pages. Each of their tests loads a whole reference case into a
/// fresh database and renders pages from it, which is CPU work on the cooperative pool; run one
/// at a time, so that on a small machine they do not starve the live servers' tests running
/// beside them (those answer within a timeout).
@Suite("Console pages", .serialized)
enum ConsolePages {}
