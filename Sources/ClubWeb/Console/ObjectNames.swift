import ClubCore
import ClubStore

/// The names people know objects by (a studio's name, a client's name, a request's stated ask),
/// looked up once per page as the reader may read them. An object the reader may not read keeps
/// its id: nothing is told that its token would not be.
actor ObjectNames {
    private let database: AppDatabase
    private let principal: Principal
    private var studios: [String: String] = [:]
    private var clients: [String: String] = [:]
    private var requests: [String: String] = [:]

    init(database: AppDatabase, principal: Principal) {
        self.database = database
        self.principal = principal
    }

    func studio(_ id: String) async -> String {
        if let name = studios[id] { return name }
        let name = (try? await database.studio(id, for: principal).name) ?? id
        studios[id] = name
        return name
    }

    func client(_ id: String) async -> String {
        if let name = clients[id] { return name }
        let name = (try? await database.client(id, for: principal).name) ?? id
        clients[id] = name
        return name
    }

    /// "Pixel Hands — Yacht Charter Ltd": an engagement by its studio and client.
    func engagement(_ id: String) async -> String {
        guard let engagement = try? await database.engagementRecord(id, for: principal).engagement else { return id }
        return await studio(engagement.studioId) + " — " + client(engagement.clientId)
    }

    func request(_ id: String) async -> String {
        if let ask = requests[id] { return ask }
        let ask = (try? await database.lead(id, for: principal).statedAsk) ?? id
        requests[id] = ask
        return ask
    }
}

extension ConsoleController {
    /// An engagement by its studio and client, as the signed-in person may read them.
    func engagementName(_ signedIn: SignedIn, _ id: String) async -> String {
        await ObjectNames(database: database, principal: signedIn.principal).engagement(id)
    }
}
