import DropCore
import Hummingbird

/// `GET /v1/corridors`: where Drop sends money, in which currency, and what a recipient needs.
/// Public: the send page shows it before anyone signs in.
struct CorridorsFeature: AppFeature {
    /// The table is small and a client needs all of it to build its country picker, so one page
    /// holds every corridor unless the client asks for less.
    static let defaultLimit = PageRequest.maximumLimit

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/v1/corridors") { request, _ in
            let page = try PageRequest(request, defaultLimit: Self.defaultLimit)
            var corridors = Corridors.all.map(CorridorView.init)
            if let cursor = page.cursor {
                guard let index = corridors.firstIndex(where: { $0.key == cursor }) else {
                    throw AppError.badRequest("That cursor is not from this list.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
                }
                corridors = Array(corridors[(index + 1)...])
            }
            return try JSON.response(page.page(Array(corridors.prefix(page.limit + 1)), cursor: \.key))
        }
    }
}
