import ClubCore
import ClubStore
import Foundation

/// `Scripts/bench-matching`: builds a club of N active studios in a fresh database and reports
/// the median time of one shortlist call (ranking plus storing the shortlist and its event).
@main
struct MatchingBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        if let index = arguments.firstIndex(of: "--seed"), index + 1 < arguments.count {
            try await seed(into: arguments[index + 1], engagements: value(after: "--engagements", in: arguments) ?? 5_000)
            return
        }
        let studios = value(after: "--studios", in: arguments) ?? 10_000
        let runs = value(after: "--runs", in: arguments) ?? 30
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keep = ProcessInfo.processInfo.environment["CLUBD_BENCH_KEEP"] != nil
        defer { if keep { print("database kept in \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }

        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path)
        let rules = database.rules
        let competences = rules.competences.sorted()
        var generator = SeededGenerator(seed: 42)
        let now = Date()
        let club = try (0..<studios).map { index in
            let count = Int.random(in: 1...3, using: &generator)
            let claimed = Array(competences.shuffled(using: &generator).prefix(count))
            let low = Int.random(in: 1...20, using: &generator) * 50_000
            var studio = try Studio(
                id: String(format: "stu_bench%06d", index),
                input: StudioInput(
                    name: "Studio \(index)",
                    competences: claimed,
                    regions: [["RU-MOW", "RU-SPE", "DE-BE"].randomElement(using: &generator) ?? "RU-MOW"],
                    budgetMin: low,
                    budgetMax: low * Int.random(in: 2...10, using: &generator),
                    capacity: Int.random(in: 1...5, using: &generator)
                ),
                rules: rules,
                at: now
            )
            for kind in VettingCheckKind.allCases {
                try studio.record(VettingCheckInput(kind: kind, passed: true), by: Principal.system.actor, at: now)
            }
            try studio.decide(DecisionInput(decision: .admit, reason: "benchmark club"), by: .system, rules: rules, at: now)
            return studio
        }
        try await database.importStudios(club, by: .system)
        let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: .system)
        let deadline = Day(containing: now.addingTimeInterval(60 * 24 * 3600), in: .gmt)
        let lead = try await database.createLead(
            LeadInput(
                clientId: client.id,
                statedAsk: "Instagram promotion",
                businessGoal: "leads from the internet",
                budget: 600_000,
                deadline: deadline,
                region: "RU-MOW"
            ),
            by: .system
        )
        _ = try await database.updateLead(
            lead.id,
            LeadPatch(requiredCompetences: ["landing", "context_ads"], rationale: "too little content for Instagram"),
            ifVersion: nil,
            by: .system
        )

        var timings: [Double] = []
        var candidates = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let shortlist = try await database.makeShortlist(lead.id, ShortlistInput(size: 5), by: .system)
            let elapsed = ContinuousClock.now - start
            candidates = shortlist.candidates.count
            timings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        timings.sort()
        let median = timings[timings.count / 2]
        print(
            String(
                format: "shortlist over %d studios: median %.2f ms, p90 %.2f ms, min %.2f ms (%d runs, %d candidates returned)",
                studios,
                median,
                timings[timings.count * 9 / 10],
                timings[0],
                runs,
                candidates
            )
        )
    }

    /// `--seed DIR`: a realistic club in a data folder for `Scripts/bench`; prints what the load
    /// generator needs as KEY=VALUE lines.
    static func seed(into folder: String, engagements: Int) async throws {
        try DataFolder.createPrivateDirectory(atPath: folder)
        let database = try AppDatabase(path: folder + "/clubd.sqlite")
        var seeder = ClubSeeder(database: database)
        let start = ContinuousClock.now
        let seeded = try await seeder.seed(studios: 1_000, engagements: engagements)
        try database.close()
        _ = FileManager.default.createFile(
            atPath: folder + "/bootstrap-token",
            contents: Data((seeded.headToken + "\n").utf8),
            attributes: [.posixPermissions: 0o600]
        )
        FileHandle.standardError.write(Data("seeded 1000 studios and \(engagements) engagements in \(ContinuousClock.now - start)\n".utf8))
        print("HEAD=\(seeded.headToken)")
        print("STUDIO=\(seeded.studioToken)")
        print("CLIENT=\(seeded.clientToken)")
        print("LIST=\(seeded.benchFixLists[0])")
        print("ITEMS=\(seeded.benchItems.joined(separator: ","))")
    }

    static func value(after flag: String, in arguments: [String]) -> Int? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return Int(arguments[index + 1])
    }
}

/// A deterministic generator so that every run builds the same club.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
