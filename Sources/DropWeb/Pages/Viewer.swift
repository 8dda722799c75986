import DropAPI
import DropHTML
import DropStore
import Hummingbird

/// The signed-in person a page is rendered for: their language, the CSRF token for forms and
/// the unread count the header shows.
struct Viewer: Sendable {
    let userId: String
    let strings: Strings
    let csrfToken: String
    let navigation: Layout.Navigation

    var unread: Int { navigation.unread }

    static func signedIn(_ request: Request, _ context: AppRequestContext, _ services: AppServices) async throws -> Viewer? {
        guard let identity = context.identity else { return nil }
        return Viewer(request, identity, services,
                      navigation: try await .load(request, userId: identity.userId, admin: identity.role == .admin, services))
    }

    func page(_ titleKey: String, _ main: HTML, errors: [String: String] = [:]) -> HTML {
        Layout.page(title: strings[titleKey], strings: strings, navigation: navigation, main: main, errors: errors)
    }
}

extension Viewer {
    /// For a page that read the header with the rest of what it shows (`CustomerOverview`).
    init(_ request: Request, _ identity: Identity, _ services: AppServices, overview: CustomerOverview) {
        self.init(request, identity, services, navigation: .init(
            unread: overview.unread, path: request.uri.path, merchant: overview.hasBusiness, admin: identity.role == .admin))
    }

    private init(_ request: Request, _ identity: Identity, _ services: AppServices, navigation: Layout.Navigation) {
        self.init(userId: identity.userId, strings: Strings(WebFeature.language(of: request)),
                  csrfToken: services.csrf.token(for: identity.sessionId), navigation: navigation)
    }
}

extension Layout.Navigation {
    /// The unread count and whether the person has a business, in one read (every page pays for it).
    static func load(_ request: Request, userId: String, admin: Bool = false, _ services: AppServices) async throws -> Self {
        let header = try await services.database.withConnection { try await NotificationRepository.header(userId: userId, on: $0) }
        return Self(unread: header.unread, path: request.uri.path, merchant: header.hasBusiness, admin: admin)
    }
}
