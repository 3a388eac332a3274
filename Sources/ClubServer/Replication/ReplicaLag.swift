/// How far the replica is behind, worked out from what Litestream reports and the journal's head
/// (docs/design.md §11.4). A value fed one tick at a time, so that it is tested without I/O.
///
/// Litestream reports bytes, not events: the WAL it has read from the database and the WAL it has
/// shipped to the replica. The shipped count also carries each segment's header, so the difference
/// sinks a little below zero whenever nothing is pending; its lowest value so far (never above zero)
/// turns the shipped count into a position in read bytes. Each tick remembers how much Litestream had
/// read and the journal's head one tick earlier: Litestream reads the WAL every `monitor-interval`
/// (250 ms in `Config/litestream.yml`), so by then it had read every event up to that head. Once the
/// shipped position passes a remembered read count, those events are in the replica. This holds
/// under a steady stream of writes too, when the replica is never fully caught up at a tick.
struct ReplicaLag: Sendable {
    /// Every journal event up to this sequence number is known to be in the replica.
    private(set) var replicatedThrough: Int64
    /// WAL bytes read but not yet shipped, as of the last report; nil when Litestream did not answer.
    private(set) var backlogBytes: Int64?
    private var headAtLastTick: Int64
    private var lowestDifference: Int64 = 0
    private var lastReadBytes: Int64?
    /// Read counts of earlier ticks not yet shipped, oldest first, each with the events they hold.
    private var pending: [(readBytes: Int64, through: Int64)] = []
    /// An hour of ticks at one a second; dropping the oldest only delays what is claimed.
    private static let pendingLimit = 3600

    /// `head`: the journal's newest sequence number when watching starts. Litestream syncs the
    /// replica when it stops, so what was there before the daemon started is taken as replicated.
    init(head: Int64) {
        replicatedThrough = head
        headAtLastTick = head
    }

    /// One tick: the journal's head now, and Litestream's report (nil when it did not answer or
    /// does not replicate this database).
    mutating func observe(head: Int64, report: LitestreamReport?) {
        defer { headAtLastTick = head }
        guard let report else {
            backlogBytes = nil
            return
        }
        // Litestream restarted: its counters began again from zero.
        if let lastReadBytes, report.readBytes < lastReadBytes {
            lowestDifference = 0
            pending.removeAll()
        }
        lastReadBytes = report.readBytes
        lowestDifference = min(lowestDifference, report.readBytes - report.shippedBytes)
        let shippedPosition = report.shippedBytes + lowestDifference
        backlogBytes = report.readBytes - shippedPosition
        pending.append((report.readBytes, headAtLastTick))
        let shipped = pending.prefix { $0.readBytes <= shippedPosition }
        if let newest = shipped.last { replicatedThrough = max(replicatedThrough, newest.through) }
        pending.removeFirst(shipped.count)
        if pending.count > Self.pendingLimit { pending.removeFirst(pending.count - Self.pendingLimit) }
    }

    /// Journal events the replica is not known to hold.
    func eventsBehind(head: Int64) -> Int64 { max(0, head - replicatedThrough) }
}
