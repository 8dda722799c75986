import DropStore
import Foundation
import Hummingbird

/// `/v1/gdpr/…` and `/v1/data-access-requests`: the customer's rights over their data, and the
/// job that deletes retained records when the law stops requiring them.
struct PrivacyFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let signedIn = router.group("/v1").add(middleware: RequireRole(.user))
        let requests = services.dataRequests

        signedIn.get("/gdpr/export") { _, context in
            try await DataExport.download(context, services: services)
        }

        signedIn.post("/gdpr/erasure") { _, context in
            let receipt = try await services.erasure.erase(try context.requireIdentity(), requestID: context.requestID)
            return try JSON.response(receipt, status: .accepted)
        }

        signedIn.get("/data-access-requests") { _, context in
            try JSON.response(Page(items: try await requests.list(userId: try context.requireIdentity().userId)))
        }

        signedIn.post("/data-access-requests") { request, context in
            let input = try await request.decodeJSON(DataRequestService.Input.self, context: context)
            return try JSON.response(try await requests.create(userId: try context.requireIdentity().userId, input, requestID: context.requestID),
                                     status: .created)
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.register(KYCApplicantDeletion.jobKind) { job in try await KYCApplicantDeletion.run(job, services: services) }
        jobs.register(BankConsentDeletion.jobKind) { job in try await BankConsentDeletion.run(job, services: services) }
        jobs.recurring("privacy.retention-purge", every: 6 * 3600) { _ in
            try await services.retentionPurge.run()
            try await services.retentionPurge.blankPayoutFiles()
        }
        // Moves rows to the current identity keys after a rotation; finds nothing to move otherwise.
        jobs.recurring("privacy.rotate-identity-keys", every: 3600) { _ in
            try await services.identityKeyRotation.run()
        }
    }
}
