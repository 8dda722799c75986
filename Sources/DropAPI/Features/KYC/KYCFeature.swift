import DropCore
import DropProviders
import DropStore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /v1/kyc/start`, `GET /v1/kyc/status` and Sumsub's webhook.
struct KYCFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let kyc = services.kyc
        let signedIn = router.group("/v1/kyc").add(middleware: RequireRole(.user))

        signedIn.post("/start") { _, context in
            try JSON.response(try await kyc.start(try await services.sessions.currentUser(context), requestID: context.requestID))
        }
        signedIn.get("/status") { _, context in
            try JSON.response(try await kyc.status(userId: try context.requireIdentity().userId))
        }

        // Verified on the raw bytes before anything is parsed; a bad signature stores nothing.
        router.post("/v1/webhooks/sumsub") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let raw = Array(buffer: body)
            let headers = SumsubWebhookHeaders { name in request.headers[HTTPField.Name(name)!] }
            // During a rotation Sumsub may still sign with the previous secret: each is tried on the raw bytes.
            var event: SumsubWebhookEvent?
            for secret in services.config.secrets.sumsubWebhookSecrets where event == nil {
                do {
                    event = try SumsubWebhook.verifiedEvent(rawBody: raw, headers: headers, secret: secret)
                } catch SumsubWebhookError.badSignature {
                    continue
                } catch {
                    throw AppError.badRequest("The webhook body is not a Sumsub event.")
                }
            }
            guard let event else {
                throw AppError(.unauthorized, code: "UNAUTHENTICATED", message: "The webhook signature is missing or wrong.")
            }
            try await kyc.apply(event, rawBodyHash: Hex.sha256(of: raw))
            return try JSON.response(["ok": true])
        }
    }
}
