import DropCore
import DropProviders
import Foundation
import HTTPTypes
import Hummingbird

/// The banks' payment-status webhook, `POST /v1/webhooks/open-banking`.
struct PaymentsFeature: AppFeature {
    static let signatureHeader = HTTPField.Name("X-Drop-Signature")!

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let statuses = services.paymentStatus
        let standingOrders = services.standingOrders

        // Verified on the raw bytes (signature and timestamp) before anything is parsed.
        router.post("/v1/webhooks/open-banking") { request, context in
            let raw = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            // During a rotation the bank may still sign with the previous secret.
            let now = services.clock()
            guard services.config.secrets.openBankingWebhookSecrets.contains(where: { secret in
                OpenBankingWebhook.verify(rawBody: raw, signatureHeader: request.headers[Self.signatureHeader], secret: secret, now: now)
            }) else {
                throw AppError(.unauthorized, code: "UNAUTHENTICATED", message: "The webhook signature is missing, wrong or too old.")
            }
            struct Event: Decodable {
                let eventId: String
                let paymentId: String
                let transactionStatus: String
                /// Why, for a rejection (ISO 20022 reason code), when the bank says.
                let statusReasonInformation: String?
                /// `periodic-payments` for a standing order's status or one of its payments.
                let paymentService: String?
                let executionId: String?
            }
            guard let event = try? JSON.decoder.decode(Event.self, from: Data(raw)), !event.eventId.isEmpty, event.eventId.count <= 200 else {
                throw AppError.badRequest("The webhook body is not a payment status event.")
            }
            if event.paymentService == "periodic-payments" {
                let outcome = try await standingOrders.applyWebhook(raw, eventId: event.eventId, paymentId: event.paymentId,
                                                                    status: event.transactionStatus, isExecution: event.executionId != nil)
                if outcome == .unknownOrder { throw AppError.notFound("No standing order with that id.") }
                return try JSON.response(["ok": true])
            }
            guard let code = PaymentStatusCode(rawValue: event.transactionStatus) else {
                throw AppError.validation("Unknown transactionStatus.", details: [ErrorDetail(field: "transactionStatus", issue: "unknown")])
            }
            let outcome = try await statuses.apply(eventId: event.eventId, paymentId: event.paymentId, code: code,
                                                   reason: event.statusReasonInformation.flatMap(OpenBankingPaymentStatus.reasonCode),
                                                   rawBodyHash: Hex.sha256(of: raw), source: "open-banking")
            if outcome == .unknownPayment { throw AppError.notFound("No payment with that id.") }
            return try JSON.response(["ok": true])
        }
    }
}
