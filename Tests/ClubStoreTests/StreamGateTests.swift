import ClubStore
import Testing

@Suite("The gate of live update streams")
struct StreamGateTests {
    static let small = StreamLimits(perLink: 2, perSession: 3, perAddress: 4, total: 6)

    /// The tickets of `count` admitted streams; the test fails on a refusal.
    static func admit(_ count: Int, _ claim: StreamClaim, into gate: StreamGate) -> [StreamTicket] {
        (0..<count).compactMap { _ in
            let admitted = try? gate.admit(claim).get()
            #expect(admitted != nil, "stream refused early: \(claim)")
            return admitted
        }
    }

    static func refusal(_ result: Result<StreamTicket, StreamRefusal>) -> StreamRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func aLinkPastItsLimitIsRefusedWhileAnotherLinkIsAdmitted() {
        let gate = StreamGate(limits: Self.small)
        let held = Self.admit(2, StreamClaim(link: "L1", address: "10.0.0.1"), into: gate)
        let refused = Self.refusal(gate.admit(StreamClaim(link: "L1", address: "10.0.0.2")))
        #expect(refused == StreamRefusal(scope: .link, limit: 2))
        #expect(refused?.retryAfterSeconds == 30)
        #expect(refused?.isOverloaded == false)
        #expect((try? gate.admit(StreamClaim(link: "L2", address: "10.0.0.2")).get()) != nil)
        #expect(held.count == 2)
    }

    @Test func aSessionAndAnAddressHaveTheirOwnLimits() {
        let gate = StreamGate(limits: Self.small)
        let session = Self.admit(3, StreamClaim(session: "person-1", address: "10.0.0.1"), into: gate)
        #expect(Self.refusal(gate.admit(StreamClaim(session: "person-1", address: "10.0.0.9")))?.scope == .session)
        // The address has 3 of 4: one more from another person, then it is full for everyone.
        let other = Self.admit(1, StreamClaim(session: "person-2", address: "10.0.0.1"), into: gate)
        #expect(Self.refusal(gate.admit(StreamClaim(link: "L1", address: "10.0.0.1")))?.scope == .address)
        #expect(gate.open(.address, "10.0.0.1") == 4)
        #expect(session.count + other.count == 4)
    }

    @Test func theTotalIsRefusedWith503AndALongerWait() {
        let gate = StreamGate(limits: Self.small)
        let held = (0..<6).flatMap { index in Self.admit(1, StreamClaim(link: "L\(index)", address: "10.0.0.\(index)"), into: gate) }
        let refused = Self.refusal(gate.admit(StreamClaim(link: "fresh", address: "10.1.1.1")))
        #expect(refused == StreamRefusal(scope: .total, limit: 6))
        #expect(refused?.isOverloaded == true)
        #expect(refused?.retryAfterSeconds == 60)
        #expect(refused?.message.contains("6") == true)
        #expect(held.count == 6)
    }

    @Test func aRefusalCountsNothing() {
        let gate = StreamGate(limits: Self.small)
        let held = Self.admit(2, StreamClaim(link: "L1", session: "p", address: "10.0.0.1"), into: gate)
        for _ in 0..<1000 { _ = gate.admit(StreamClaim(link: "L1", session: "p", address: "10.0.0.1")) }
        #expect(gate.open(.total) == 2)
        #expect(gate.open(.session, "p") == 2)
        #expect(gate.open(.address, "10.0.0.1") == 2)
        #expect(held.count == 2)
    }

    @Test func releasingFreesTheSlotOnceEvenWhenReleasedTwice() throws {
        let gate = StreamGate(limits: Self.small)
        var held = Self.admit(2, StreamClaim(link: "L1"), into: gate)
        #expect(Self.refusal(gate.admit(StreamClaim(link: "L1"))) != nil)
        held[0].release()
        held[0].release()
        #expect(gate.open(.link, "L1") == 1)
        #expect(gate.open(.total) == 1)
        held.append(try gate.admit(StreamClaim(link: "L1")).get())
        #expect(gate.open(.link, "L1") == 2)
    }

    @Test func aTicketNobodyReleasedGivesItsSlotBackWhenDropped() {
        let gate = StreamGate(limits: Self.small)
        do {
            let dropped = Self.admit(2, StreamClaim(link: "L1", address: "10.0.0.1"), into: gate)
            #expect(gate.open(.link, "L1") == 2)
            _ = dropped
        }
        #expect(gate.open(.link, "L1") == 0)
        #expect(gate.open(.address, "10.0.0.1") == 0)
        #expect(gate.open(.total) == 0)
    }

    @Test func concurrentStreamsNeverPassTheTotal() async {
        let gate = StreamGate(limits: StreamLimits(perLink: 1000, perSession: 1000, perAddress: 1000, total: 50))
        let admitted = await withTaskGroup(of: StreamTicket?.self) { group in
            for index in 0..<400 {
                group.addTask { try? gate.admit(StreamClaim(link: "L\(index % 7)", address: "10.0.0.\(index % 13)")).get() }
            }
            var tickets: [StreamTicket] = []
            for await ticket in group { if let ticket { tickets.append(ticket) } }
            return tickets
        }
        #expect(admitted.count == 50)
        #expect(gate.open(.total) == 50)
        for ticket in admitted { ticket.release() }
        #expect(gate.open(.total) == 0)
        #expect((0..<13).allSatisfy { gate.open(.address, "10.0.0.\($0)") == 0 })
    }
}
