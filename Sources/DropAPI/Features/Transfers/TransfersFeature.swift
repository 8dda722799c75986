import DropCore
import DropStore
import Foundation
import Hummingbird

/// `/v1/transactions…`: send money abroad, the list and each transaction's story, cancel, the
/// bank's return after SCA, and the job that expires what nobody approved.
struct TransfersFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let remittances = services.remittances
        let transactions = services.transactions
        let idempotent = services.idempotentRequests
        let signedIn = router.group("/v1/transactions").add(middleware: RequireRole(.user))

        signedIn.post("/remittance") { request, context in
            let user = try await services.sessions.currentUser(context)
            let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            return try await idempotent.run(request, scope: "remittance:\(user.id)", body: body) { attempt in
                guard !body.isEmpty else { throw AppError.badRequest("A JSON body is required.") }
                let input = try JSON.decoder.decode(RemittanceService.Input.self, from: Data(body))
                let created = try await remittances.create(user: user, input, attempt: attempt, psuIPAddress: context.clientIP)
                return (.created, try JSON.encoder.encode(created))
            }
        }

        signedIn.get { request, context in
            let query = request.uri.queryParameters
            let filter = TransactionService.Filter(
                status: try QueryParameter.oneOf(query.get("status"), field: "status"),
                kind: try QueryParameter.oneOf(query.get("kind"), field: "kind"),
                from: try QueryParameter.date(query.get("from"), field: "from"), to: try QueryParameter.date(query.get("to"), field: "to"))
            let paging = try PageRequest(request)
            let cursor = try paging.cursor.map { try TimeOrderedCursor(decoding: $0) }
            return JSON.response(json: try await transactions.listJSON(userId: try context.requireIdentity().userId, filter: filter,
                                                                       limit: paging.limit, cursor: cursor))
        }

        signedIn.get("/:id") { _, context in
            try JSON.response(try await transactions.find(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        signedIn.post("/:id/cancel") { _, context in
            try JSON.response(try await transactions.cancel(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        // The receipt as a page, or as a PDF with `?format=pdf` or `Accept: application/pdf`; in the
        // language the web app uses (its cookie, then Accept-Language; the PDF in English where its font can't write it).
        signedIn.get("/:id/receipt") { request, context in
            let language = ReceiptLanguage(cookie: request.cookie("drop_lang"), acceptLanguage: request.headers[.acceptLanguage])
            let pdf = request.uri.queryParameters.get("format") == "pdf" || request.headers[.accept]?.contains("application/pdf") == true
            let receipt = try await transactions.receipt(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId,
                                                         language: pdf ? language.pdfLanguage : language)
            if pdf {
                return Response(status: .ok, headers: [.contentType: "application/pdf", .cacheControl: "private, no-store",
                                                       .contentDisposition: #"attachment; filename="\#(receipt.pdfFileName)""#],
                                body: .init(byteBuffer: ByteBuffer(bytes: receipt.pdf)))
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: receipt.html.description)))
        }

        // The bank sends the browser here after SCA. No session needed: the bank is asked.
        router.get("/v1/transactions/:id/sca-callback") { request, context in
            let id = try context.parameters.require("id")
            let mobile = request.uri.queryParameters.get("client") == "mobile"
            if UUID(uuidString: id) != nil {
                do {
                    try await transactions.followUp(transactionId: id)
                } catch {
                    // The webhook will bring the outcome; the page shows the status as it stands.
                    services.logger.notice("payment status not read after SCA", metadata: ["error_type": .string(String(describing: type(of: error)))])
                }
            }
            return Response(status: .found, headers: [.location: mobile ? "drop://transactions/\(id)" : "/transactions/\(id)"])
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("transactions.expire-sca", every: 60) { _ in
            _ = try await services.transactions.expireOverdue()
        }
        jobs.recurring("payments.withdraw-unavailable", every: 60) { _ in
            _ = try await services.transactions.withdrawWithoutStanding()
            _ = try await services.standingOrders.withdrawWithoutStanding()
        }
    }
}
