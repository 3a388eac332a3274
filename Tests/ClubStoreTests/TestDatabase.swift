import ClubCore
import ClubStore
import Foundation

/// A fresh database for each test: in memory for rules and use cases, or a file in its own
/// temporary folder where durability is the point (reopening, backups).
struct TestDatabase {
    let folder: URL
    /// 2027-01-15T08:00:00Z, moved by hand.
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-store-\(UUID().uuidString)")
    }

    var path: String { folder.appendingPathComponent("clubd.sqlite").path }

    /// A private in-memory database.
    func open() throws -> AppDatabase {
        try AppDatabase.inMemory(clock: clock)
    }

    /// The database file in this test's folder, created on first use.
    func openFile() throws -> AppDatabase {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try AppDatabase(path: path, clock: clock)
    }
}

let head = Principal(tokenId: "tok_h", name: "Maria", role: .coordinator, isHead: true)
let coordinator = Principal(tokenId: "tok_c", name: "Anna", role: .coordinator)

func pixelHands(_ name: String = "Pixel Hands", competences: [String] = ["landing", "context_ads"]) -> StudioInput {
    StudioInput(name: name, competences: competences, regions: ["RU-MOW"], budgetMin: 100_000, budgetMax: 2_000_000, capacity: 3)
}
