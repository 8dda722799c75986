import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("GDPR over HTTP: export, erasure within AML retention, data access requests")
struct PrivacyTests {
    static let kari = TransfersTests.kari

    /// Kari with a bank, a Polish recipient she paid (then cancelled) and a German one she never paid.
    static func kariWithHistory(_ server: LiveServer) async throws -> (sender: TransfersTests.Sender, transferId: String, unusedRecipientId: String) {
        let kari = try await TransfersTests.sender(server)
        let germany = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: kari.auth)
        #expect(germany.status == 201)
        let created = try await TransfersTests.send(server, kari, key: "gdpr-1", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":50000,"bankAccountId":"\#(kari.accountId)"}"#)
        #expect(created.status == 201)
        let id = try created.decode(TransactionCreated.self).transaction.id
        #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 200)
        return (kari, id, try germany.decode(Recipient.self).id)
    }

    static func count(_ server: LiveServer, _ sql: SQLQueryString) async throws -> Int {
        try await server.services.database.withConnection { try await $0.raw(sql).first()!.decode(column: "n", as: Int.self) }
    }

    @Test func theExportHoldsEverythingAboutKariAndNothingAboutAML() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, transferId, _) = try await Self.kariWithHistory(server)
            let reply = try await server.get("/v1/gdpr/export", headers: [kari.auth])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "content-disposition")?.contains("attachment") == true)
            #expect(reply.headers.first(name: "cache-control") == "no-store")
            // Read as the app reads it: the whole document decodes into DropKit's `DataExport`.
            let export = try reply.decode(DropKit.DataExport.self)
            #expect(export.profile.name == "Kari Nordmann" && export.profile.phone == "+4791234567")
            #expect(export.kyc.status == "approved")
            #expect(export.consents.count == 2 && !export.sessions.isEmpty && export.bankConsents.count == 1)
            #expect(export.bankAccounts.contains { $0["id"] == .string(kari.accountId) })
            #expect(export.recipients.count == 2)
            let transfer = try #require(export.transactions.first)
            #expect(transfer.id == transferId && transfer.history?.map(\.status) == [.pendingSCA, .cancelled])
            // The IP address the transfer was asked for from, as the bank was told it (PSU-IP-Address).
            let ipAddress = try await server.services.database.withConnection {
                try await $0.raw("SELECT psu_ip_address FROM transactions WHERE id = \(bind: transferId)").first()!.decode(column: "psu_ip_address", as: String.self)
            }
            #expect(!ipAddress.isEmpty && export.ipAddresses?.count == 1)
            #expect(export.ipAddresses?.first?["transactionId"] == .string(transferId) && export.ipAddresses?.first?["ipAddress"] == .string(ipAddress))
            #expect(!export.notifications.isEmpty)
            // Never the pid hash, never AML records (no tipping-off).
            #expect(!reply.body.contains("pidHash") && !reply.body.contains("pid_hash") && !reply.body.contains("aml"))
            let storedHash = try await server.services.database.withConnection {
                try await $0.raw("SELECT pid_hash FROM users WHERE name = 'Kari Nordmann'").first()!.decode(column: "pid_hash", as: String.self)
            }
            #expect(!reply.body.contains(storedHash))
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'gdpr.exported'") == 1)
            #expect(try await server.get("/v1/gdpr/export").status == 401)
        }
    }

    @Test func afterErasureKariIsGoneButTheAMLRecordsStayPseudonymous() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, transferId, unusedRecipient) = try await Self.kariWithHistory(server)
            let userId = try await server.userId(kari.auth)
            let webSession = try await server.webSession(Self.kari)

            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth])
            #expect(erased.status == 202)
            let receipt = try erased.decode(ErasureReceipt.self)
            #expect(receipt.status == "completed" && receipt.retained == ["pidHash", "identity", "kyc", "transactions"])
            #expect(JSON.rfc3339(receipt.retainedUntil).hasPrefix("2031-10-1"))

            // Every session ends at once, bearer and cookie alike.
            #expect(try await server.get("/v1/me", headers: [kari.auth]).status == 401)
            #expect(try await server.get("/v1/me", headers: [webSession]).status == 401)

            // Phone, e-mail, recipients, notifications and settings are gone. Who she was stays with the
            // records AML law keeps, for compliance only (ADR 0027).
            let user = try #require(try await server.services.database.withConnection {
                try await $0.raw("SELECT name, given_name, phone, email, birthdate, pid_encrypted, deleted_at, retain_until, pid_hash FROM users WHERE id = \(bind: userId)").first()
            })
            #expect(try user.decodeNil(column: "phone") && user.decodeNil(column: "email"))
            #expect(try user.decode(column: "name", as: String?.self) == "Kari Nordmann" && user.decode(column: "birthdate", as: String?.self) == "1990-03-15")
            #expect(try !user.decodeNil(column: "pid_encrypted"))
            #expect(try !user.decodeNil(column: "deleted_at") && !user.decodeNil(column: "retain_until"))
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM recipients WHERE id = \(bind: unusedRecipient)") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM recipients WHERE user_id = \(bind: userId) AND deleted_at IS NULL") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId)") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: userId) AND revoked_at IS NULL") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM bank_consents WHERE user_id = \(bind: userId) AND status <> 'terminated'") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM consents WHERE user_id = \(bind: userId) AND granted = FALSE") == 2)
            // What AML law keeps: the transfer, its history, the pid hash.
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM transactions WHERE id = \(bind: transferId)") == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM transaction_events WHERE transaction_id = \(bind: transferId)") == 2)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM data_access_requests WHERE user_id = \(bind: userId) AND kind = 'erasure' AND status = 'completed'") == 1)
            // The bank no longer lets Drop read her accounts.
            let providerConsent = try await server.services.database.withConnection {
                try await $0.raw("SELECT provider_consent_id FROM bank_consents WHERE user_id = \(bind: userId)").first()!.decode(column: "provider_consent_id", as: String.self)
            }
            #expect(try await server.services.openBanking.wrapped.consent(bank: "dnb", consentId: providerConsent).status == "terminatedByTpp")

            // Signing in again starts a new customer, linked to the retained records by the pid hash.
            let again = try await server.bearer(Self.kari)
            let me = try await server.get("/v1/me", headers: [again]).decode(User.self)
            #expect(me.id != userId)
            #expect(me.kycStatus == KYCState.none && me.phone == nil)
            #expect(try await server.get("/v1/transactions", headers: [again]).decode(DropKit.Page<DropKit.Transaction>.self).items.isEmpty)
            let pidHash = try user.decode(column: "pid_hash", as: String.self)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: pidHash)") == 2)

            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    @Test func afterErasureTheAdminStillSeesThePseudonymousTransfersAndAlerts() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            // Per Politiker's first transfer raises a PEP alert; he cancels it and erases his account.
            let sender = try await ComplianceAdminTests.perReadyToSend(server)
            let per = sender.auth
            let sent = try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-erase")
            let transferId = try sent.decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/cancel", headers: [per]).status == 200)
            let perId = try await server.userId(per)
            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [per])
            #expect(try erased.decode(ErasureReceipt.self).retained == ["pidHash", "identity", "kyc", "transactions", "amlRecords"] && erased.status == 202)

            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "userId=\(perId)")
            #expect(alerts.count == 1 && alerts.first?.transactionId == transferId)
            let user = try await server.get("/v1/admin/users/\(perId)", headers: [admin])
            #expect(user.status == 200)
            let customer = try user.decode(ComplianceAPI.Customer.self)
            // Compliance still knows whom the records are about (hvitvaskingsloven § 30, ADR 0027).
            #expect(customer.name == "Per Politiker" && customer.deletedAt != nil && customer.transferCount == 1 && customer.alertCount == 1)

            // Signing in again is a new customer; looking him up by national id finds both records.
            let again = try await server.bearer(ComplianceAdminTests.per)
            let newId = try await server.userId(again)
            let found = try await ComplianceAdminTests.customers(server, admin, nationalId: ComplianceAdminTests.per)
            #expect(Set(found.map(\.id)) == [perId, newId])
        }
    }

    @Test func aMerchantWhoseOwnerIsErasedTakesNoMorePayments() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let registered = try await server.registeredMona()
            let (mona, code) = (registered.auth, registered.code)
            #expect(try await server.get("/v1/merchants/\(code)").status == 200)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [mona]).status == 202)
            #expect(try await server.get("/v1/merchants/\(code)").status == 404)
            #expect(try await server.get("/pay/\(code)").status == 404)
        }
    }

    @Test func erasureWaitsForPaymentsInProgress() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "gdpr-open", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":50000,"bankAccountId":"\#(kari.accountId)"}"#)
            #expect(created.status == 201)
            let refused = try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth])
            #expect(refused.status == 409 && refused.errorCode == "PAYMENTS_IN_PROGRESS")
            // Nothing was erased: she is still signed in with her name.
            #expect(try await server.get("/v1/me", headers: [kari.auth]).decode(User.self).name == "Kari Nordmann")
        }
    }

    @Test func theRetentionJobDeletesWhatWasKeptAfterFiveYears() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, transferId, _) = try await Self.kariWithHistory(server)
            let userId = try await server.userId(kari.auth)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth]).status == 202)
            let purge = server.services.retentionPurge

            // A day before the five years are up nothing goes.
            server.clock.advance(TimeInterval(5 * 365 * 86_400))
            #expect(try await purge.run() == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM transactions WHERE id = \(bind: transferId)") == 1)

            server.clock.advance(TimeInterval(3 * 86_400))
            #expect(try await purge.run() == 1)
            for table in ["users WHERE id", "transactions WHERE user_id", "recipients WHERE user_id", "bank_accounts WHERE user_id",
                          "consents WHERE user_id", "sessions WHERE user_id", "data_access_requests WHERE user_id"] {
                #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) = \(bind: userId)") == 0, "\(table)")
            }
            // The audit chain is intact: it holds ids and actions only.
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.purged' AND entity_id = \(bind: userId)") == 1)
        }
    }

    @Test func aPersonWhoNeverPassedKYCIsForgottenAtOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let auth = try await server.bearer("01078510133")
            let userId = try await server.userId(auth)
            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [auth])
            #expect(try erased.decode(ErasureReceipt.self).retained.isEmpty && erased.status == 202)
            // Nothing is kept, so neither is who they were.
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: userId) AND name IS NULL AND birthdate IS NULL AND pid_encrypted IS NULL") == 1)
            #expect(try await server.services.retentionPurge.run() == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: userId)") == 0)
        }
    }

    @Test func dataAccessRequestsAreDueInThirtyDays() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let auth = try await server.bearer(Self.kari)
            let access = try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"access"}"#, auth: auth)
            #expect(access.status == 201)
            let request = try access.decode(DataAccessRequest.self)
            #expect(request.status == .open && request.dueDate == "2026-11-13")
            #expect(try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"access"}"#, auth: auth).status == 409)

            let vague = try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"rectification"}"#, auth: auth)
            #expect(vague.status == 422 && vague.issue("details") == "required")
            #expect(try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"erasure"}"#, auth: auth).issue("kind") == "use_erasure_endpoint")
            #expect(try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"gossip","details":"x"}"#, auth: auth).issue("kind") == "invalid")
            server.clock.advance(60)
            let fix = try await server.call(.POST, "/v1/data-access-requests", #"{"kind":"rectification","details":"My email is wrong"}"#, auth: auth)
            #expect(fix.status == 201)

            let list = try await server.get("/v1/data-access-requests", headers: [auth]).decode(DropKit.Page<DataAccessRequest>.self).items
            #expect(list.map(\.kind) == [.rectification, .access])
            // Someone else sees none of them.
            let ola = try await server.bearer("01078510133")
            #expect(try await server.get("/v1/data-access-requests", headers: [ola]).decode(DropKit.Page<DataAccessRequest>.self).items.isEmpty)
        }
    }

    /// Two devices asking for a copy at once leave one open request, not two (on PostgreSQL each would read "none
    /// open yet" without the customer's row locked). The first request is held uncommitted while the second is made.
    @Test func twoAccessRequestsAtOnceLeaveOneOpen() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let userId = try await server.userId(try await server.bearer(Self.kari))
            let requests = server.services.dataRequests
            let now = server.clock.date
            let second = try await server.services.database.transaction { db -> Task<DataRequestView, any Error> in
                try await UserRepository.lock(id: userId, on: db)
                try await DataRequestRepository.insert(DataRequestRecord(id: RecordID.make(), userId: userId, kind: .access, status: .open, details: nil,
                                                                         createdAt: now, dueAt: now.addingTimeInterval(86_400 * 30), completedAt: nil), on: db)
                let second = Task.detached { try await requests.create(userId: userId, .init(kind: "access", details: nil), requestID: "second") }
                try await Task.sleep(for: .seconds(1))
                return second
            }
            await #expect(throws: AppError.self) { try await second.value }
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM data_access_requests WHERE user_id = \(bind: userId) AND status = 'open'") == 1)
        }
    }
}
