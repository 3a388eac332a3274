import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The mediation area of the console: fix lists and complaints (docs/console.md).
    func addMediationPages(to router: Router<Context>) {
        addFixListPages(to: router)
        addComplaintPages(to: router)
    }
}
