import DropAPI
import DropHTML
import Hummingbird

/// The signed-in person a page is rendered for: their language, the CSRF token for forms and
/// the unread count the header shows.
struct Viewer: Sendable {
    let userId: String
    let strings: Strings
    let csrfToken: String
    let unread: Int
    /// The page's path, for the tab bar's current tab.
    var path: String = ""

    static func signedIn(_ request: Request, _ context: AppRequestContext, _ services: AppServices) async throws -> Viewer? {
        guard let identity = context.identity else { return nil }
        return Viewer(userId: identity.userId, strings: Strings(WebFeature.language(of: request)),
                      csrfToken: services.csrf.token(for: identity.sessionId),
                      unread: try await services.notifications.unreadCount(userId: identity.userId), path: request.uri.path)
    }

    func page(_ titleKey: String, _ main: HTML, errors: [String: String] = [:]) -> HTML {
        Layout.page(title: strings[titleKey], strings: strings, unread: unread, path: path, main: main, errors: errors)
    }
}
