import DropAPI
import Foundation
import Hummingbird

/// The server-rendered web app: pages, the language switch, static assets.
public struct WebFeature: AppFeature {
    public init() {}

    public var errorPageRenderer: ErrorPageRenderer { ErrorPageView.render }

    public func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/") { request, _ in
            Self.html(HomePage.render(Strings(Self.language(of: request))))
        }
        // Remembers the choice for a year; works without JavaScript.
        router.get("/language/:code") { request, context in
            guard let code = context.parameters.get("code"), let language = Language(rawValue: code) else {
                throw AppError.notFound()
            }
            let secure = services.config.environment == .development ? "" : "; Secure"
            return Response(status: .seeOther, headers: [
                .location: "/",
                .setCookie: "drop_lang=\(language.rawValue); Path=/; Max-Age=31536000; SameSite=Lax\(secure)",
            ])
        }
        router.get("/login") { request, _ in
            Self.html(LoginPage.render(Strings(Self.language(of: request)), error: request.uri.queryParameters.get("error")))
        }
        router.get("/dashboard") { request, context in
            guard context.identity != nil else { return Self.redirect("/login") }
            let user = try await services.currentUser(context)
            return Self.html(DashboardPage.render(Strings(Self.language(of: request)), user: user,
                                                  csrfToken: services.csrf.token(for: try context.requireIdentity().sessionId)))
        }
        // Onboarding screens arrive with the web app; until then the dashboard says what is left.
        router.get("/onboarding") { _, context in
            Self.redirect(context.identity == nil ? "/login" : "/dashboard")
        }
        router.post("/logout") { _, context in
            if let identity = context.identity {
                try await services.endSession(identity, requestID: context.requestID)
            }
            var response = Self.redirect("/login")
            response.headers[.setCookie] = services.expiredSessionCookie
            return response
        }
        router.get("/assets/:file") { _, context in
            guard let name = context.parameters.get("file"), let asset = Assets.lookup(name) else { throw AppError.notFound() }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
        }
    }

    static func language(of request: Request) -> Language {
        Language.negotiate(cookie: request.cookies["drop_lang"]?.value, acceptLanguage: request.headers[.acceptLanguage])
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
