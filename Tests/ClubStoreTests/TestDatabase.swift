import ClubCore
import ClubStore
import Foundation

/// A fresh database file in its own temporary folder for each test.
struct TestDatabase {
    let folder: URL
    /// 2027-01-15T08:00:00Z, moved by hand.
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var path: String { folder.appendingPathComponent("clubd.sqlite").path }

    func open() throws -> AppDatabase {
        try AppDatabase(path: path, clock: clock)
    }
}

let head = Principal(tokenId: "tok_h", name: "Maria", role: .coordinator, isHead: true)
let coordinator = Principal(tokenId: "tok_c", name: "Anna", role: .coordinator)

func pixelHands(_ name: String = "Pixel Hands", competences: [String] = ["landing", "context_ads"]) -> StudioInput {
    StudioInput(name: name, competences: competences, regions: ["RU-MOW"], budgetMin: 100_000, budgetMax: 2_000_000, capacity: 3)
}
