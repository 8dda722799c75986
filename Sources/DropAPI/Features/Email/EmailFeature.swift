import Foundation
import Hummingbird

/// `POST /v1/me/email/confirmation` (send the confirmation link again) and `POST /v1/email/confirm`
/// (open it from the app). The link in the email itself opens the web page `/email/confirm`.
struct EmailFeature: AppFeature {
    struct Confirm: Decodable {
        let token: String
    }

    struct Confirmed: Encodable {
        let emailVerified: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let confirmation = services.emailConfirmation

        router.group("/v1/me").add(middleware: RequireRole(.user)).post("/email/confirmation") { _, context in
            try await confirmation.resend(userId: try context.requireIdentity().userId, requestID: context.requestID)
            return Response(status: .accepted)
        }

        // No sign-in: the token proves the person reads the mailbox, whichever device opens it.
        router.post("/v1/email/confirm") { request, context in
            let input = try await request.decodeJSON(Confirm.self, context: context)
            try await confirmation.confirm(token: input.token, requestID: context.requestID)
            return try JSON.response(Confirmed(emailVerified: true))
        }
    }
}
