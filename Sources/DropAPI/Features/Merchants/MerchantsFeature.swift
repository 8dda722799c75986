import DropCore
import DropStore
import Foundation
import Hummingbird

/// `/v1/merchants…` (register a business, its QR links and codes, dashboard, live events, the
/// public lookup) and `POST /v1/transactions/qr-payment`.
struct MerchantsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let merchants = services.merchants
        let payments = services.qrPayments
        let dashboards = services.merchantDashboard
        let events = MerchantEventStream(database: services.database, clock: services.clock, hub: MerchantEventHub(database: services.database))
        let idempotent = services.idempotentRequests

        router.group("/v1/merchants").add(middleware: RequireRole(.user)).post { request, context in
            let input = try await request.decodeJSON(MerchantService.Input.self, context: context)
            let created = try await merchants.register(user: try await services.sessions.currentUser(context), input, requestID: context.requestID)
            return try JSON.response(created, status: .created)
        }

        let mine = router.group("/v1/merchants/me").add(middleware: RequireRole(.merchant))
        mine.get { _, context in
            try JSON.response(MerchantView(try await merchants.mine(userId: try context.requireIdentity().userId)))
        }
        mine.get("/qr") { request, context in
            let merchant = try await merchants.mine(userId: try context.requireIdentity().userId)
            let (amount, reference) = try Self.linkQuery(request)
            return try JSON.response(try merchants.link(for: merchant, amountMinor: amount, reference: reference).view,
                                     headers: [.cacheControl: "no-store"])
        }
        mine.get("/qr.svg") { request, context in
            let merchant = try await merchants.mine(userId: try context.requireIdentity().userId)
            let (amount, reference) = try Self.linkQuery(request)
            let link = try merchants.link(for: merchant, amountMinor: amount, reference: reference).view
            return Response(status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: try merchants.svg(link, merchantName: merchant.name))))
        }
        mine.get("/dashboard") { request, context in
            let merchant = try await merchants.mine(userId: try context.requireIdentity().userId)
            let query = request.uri.queryParameters
            return try JSON.response(try await dashboards.dashboard(
                merchant: merchant, from: try MerchantDashboardService.bound(query.get("from"), field: "from", end: false),
                to: try MerchantDashboardService.bound(query.get("to"), field: "to", end: true)))
        }
        mine.get("/events") { request, context in
            let merchant = try await merchants.mine(userId: try context.requireIdentity().userId)
            return await events.response(merchantId: merchant.id, after: try await events.startSeq(request, merchantId: merchant.id),
                                         identity: try context.requireIdentity())
        }

        // Public: what a payer's phone shows before signing in. One that can't be paid now says so
        // here, so the app never offers to pay it.
        router.get("/v1/merchants/:code") { _, context in
            let merchant = try await merchants.publicMerchant(code: try context.parameters.require("code"))
            guard merchant.takesPayments else { throw MerchantService.unavailable() }
            return try JSON.response(PublicMerchantView(merchant))
        }

        router.group("/v1/transactions").add(middleware: RequireRole(.user)).post("/qr-payment") { request, context in
            let user = try await services.sessions.currentUser(context)
            let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            return try await idempotent.run(request, scope: QRPaymentService.scope(user.id), body: body) { attempt in
                guard !body.isEmpty else { throw AppError.badRequest("A JSON body is required.") }
                let input = try JSON.decoder.decode(QRPaymentService.Input.self, from: Data(body))
                return (.created, try JSON.encoder.encode(try await payments.create(user: user, input, attempt: attempt, psuIPAddress: context.clientIP)))
            }
        }
    }

    /// `amountMinor` (a whole number of øre) and `reference` for a dynamic link.
    static func linkQuery(_ request: Request) throws -> (amount: Int64?, reference: String?) {
        let query = request.uri.queryParameters
        var amount: Int64?
        if let raw = query.get("amountMinor"), !raw.isEmpty {
            guard let value = Int64(raw) else {
                throw AppError.validation("amountMinor must be a whole number of øre.", details: [ErrorDetail(field: "amountMinor", issue: "format")])
            }
            amount = value
        }
        return (amount, query.get("reference"))
    }
}
