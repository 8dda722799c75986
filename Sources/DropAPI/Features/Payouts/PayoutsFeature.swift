import DropCore
import DropStore
import Foundation
import Hummingbird

/// The payout round trip with the partner, run by the worker (pain.001 out, pain.002 back), and
/// the admin's view of it: `GET /v1/admin/payouts`, `GET /v1/admin/payouts/{id}/pain001.xml` (audited, `PayoutFileService`).
struct PayoutsFeature: AppFeature {
    struct View: Codable {
        let id: String
        let messageId: String
        let status: PayoutMessageStatus
        let currency: String
        let transactionCount: Int
        let controlSumMinor: Int64
        let createdAt: Date
        let sentAt: Date?
        let updatedAt: Date

        init(summary: PayoutSummary) {
            id = summary.id
            messageId = summary.messageId
            status = summary.status
            currency = summary.currency
            transactionCount = summary.transactionCount
            controlSumMinor = summary.controlSumMinor
            createdAt = summary.createdAt
            sentAt = summary.sentAt
            updatedAt = summary.updatedAt
        }
    }

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let admin = router.group("/v1/admin/payouts").add(middleware: RequireRole(.admin))

        admin.get { request, _ in
            let paging = try PageRequest(request)
            let cursor = try paging.cursor.map { try TimeOrderedCursor(decoding: $0) }
            let views = try await services.database.withConnection {
                try await PayoutRepository.list(after: cursor?.position, limit: paging.limit, on: $0)
            }.map(View.init(summary:))
            return try JSON.response(paging.page(views) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded })
        }

        admin.get("/:id/pain001.xml") { _, context in
            let id = try context.parameters.require("id")
            let xml = try await services.payoutFiles.pain001(idOrMessageId: id, by: try AdminActor(context))
            return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"pain001-\(id).xml\""],
                            body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("payouts.submit", every: services.config.payoutInterval) { _ in
            _ = try await services.payouts().submitDue()
        }
        jobs.recurring("payouts.poll", every: services.config.payoutInterval) { _ in
            _ = try await services.payouts().pollReports()
        }
        // Asks the partner for the NOK of failed payouts (and of money that arrived too late) and
        // marks transfers `refunded` once the partner confirms.
        jobs.recurring("payouts.returns", every: services.config.payoutInterval) { _ in
            _ = try await services.payouts().processReturns()
        }
    }
}
