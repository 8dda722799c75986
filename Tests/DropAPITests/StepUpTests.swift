import DropKit
import DropStore
import Foundation
import NIOHTTP1
import SQLKit
import Testing
@testable import DropAPI

/// Admin writes need a recent BankID authentication (issue #14 item 5): the test clock ages the
/// session, BankID (the sandbox) is asked for a fresh sign-in, and a stale `auth_time` is refused.
@Suite("Step-up sign-in for admin actions")
struct StepUpTests {
    static let anders = ComplianceAdminTests.anders

    static func auditActions(_ server: LiveServer, _ action: String) async throws -> [(actor: String?, entityId: String, data: String)] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT actor_id, entity_id, data FROM audit_log WHERE action = \(bind: action) ORDER BY seq").all().map {
                (try $0.decode(column: "actor_id", as: String?.self), try $0.decode(column: "entity_id", as: String.self),
                 try $0.decode(column: "data", as: String.self))
            }
        }
    }

    /// Two transfers to a new recipient in a high-risk country: both held for an admin.
    static func twoHeldTransfers(_ server: LiveServer) async throws -> (kari: TransfersTests.Sender, ids: [String]) {
        let kari = try await TransfersTests.sender(server)
        var ids: [String] = []
        for (index, (account, amount)) in [("0123456789012", Int64(1_200_000)), ("0987654321098", 1_100_000)].enumerated() {
            let recipient = try await server.call(.POST, "/v1/recipients",
                                                  ComplianceAdminTests.kenya.replacingOccurrences(of: "0123456789012", with: account), auth: kari.auth)
            let recipientId = try recipient.decode(Recipient.self).id
            let sent = try await ComplianceAdminTests.send(server, kari, recipient: recipientId, amountMinor: amount, key: "held-\(index)")
            let transaction = try sent.decode(TransactionCreated.self).transaction
            #expect(transaction.status == .held, "\(sent.body)")
            ids.append(transaction.id)
        }
        return (kari, ids)
    }

    @Test func aStaleAdminSessionMustStepUpBeforeReleasingAHeldTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, ids) = try await Self.twoHeldTransfers(server)
            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)

            // Fresh from BankID: the release goes through.
            let first = try await server.release(ids[0], #"{"reason":"Family support, documented."}"#, approvedBy: admin)
            #expect(first.status == 200, "\(first.body)")

            // Six minutes later the same session may read but not act.
            server.clock.advance(6 * 60)
            let refused = try await server.release(ids[1], #"{"reason":"Family support, documented."}"#, approvedBy: admin)
            #expect(refused.status == 401)
            #expect(refused.errorCode == "STEP_UP_REQUIRED")
            let challenge = refused.headers.first(name: "www-authenticate") ?? ""
            #expect(challenge.contains(#"error="insufficient_user_authentication""#) && challenge.contains("max_age=300"))
            let details = refused.apiError.details
            #expect(details.contains { $0.issue == "max_age" && $0.message == "300" })
            #expect(details.contains { $0.issue == "step_up" && $0.message?.contains("step_up=true") == true })
            // Nothing changed; reading still works on the old session.
            let still = try await server.get("/v1/admin/transactions/\(ids[1])", headers: [admin])
            #expect(try still.status == 200 && still.decode(ComplianceAPI.Transaction.self).status == .held)
            #expect(try await server.get("/v1/admin/transactions?status=held", headers: [admin]).status == 200)
            #expect(try await server.get("/v1/admin/audit-log", headers: [admin]).status == 200)
            // Every kind of admin write is covered, also through a path spelled otherwise.
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(ids[1])/reject", #"{"reason":"No."}"#, auth: admin).errorCode == "STEP_UP_REQUIRED")
            #expect(try await server.call(.POST, "//v1/admin/./transactions/\(ids[1])/reject", #"{"reason":"No."}"#, auth: admin).status == 401)
            #expect(try await server.call(.POST, "/v1/admin/str-reports", "{}", auth: admin).errorCode == "STEP_UP_REQUIRED")
            // The refusals are audited: who, which session, what — no personal data.
            let refusals = try await Self.auditActions(server, "admin.step_up_required")
            #expect(refusals.count == 4 && refusals.allSatisfy { $0.actor == adminId })
            #expect(refusals.first?.data.contains("/v1/admin/transactions/\(ids[1])/release") == true)
            #expect(!refusals.contains { $0.data.contains(Self.anders) || $0.data.contains("Anders") })

            // Non-admins are still forbidden, however old their session; strangers unauthenticated.
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(ids[1])/release", nil, auth: kari.auth).status == 403)
            #expect(try await server.request(.POST, "/v1/admin/transactions/\(ids[1])/release").status == 401)
            #expect(try await server.request(.POST, "/v1/admin/transactions/\(ids[1])/release").errorCode == "UNAUTHENTICATED")

            // Step-up: BankID is asked for a fresh sign-in, and the new session may act.
            let start = try await server.get("/v1/auth/bankid/start?client=mobile&step_up=true&code_challenge=\(PKCEChallenge.sample)")
            let authorize = try #require(start.location)
            #expect(authorize.contains("prompt=login") && authorize.contains("max_age=0"))
            let stepped = try await server.bearer(Self.anders, stepUp: true)
            let released = try await server.release(ids[1], #"{"reason":"Family support, documented."}"#, approvedBy: stepped)
            #expect(released.status == 200, "\(released.body)")
            #expect(try await server.get("/v1/admin/transactions/\(ids[1])", headers: [stepped]).decode(ComplianceAPI.Transaction.self).status == .pendingSCA)
            #expect(try await Self.auditActions(server, "session.stepped_up").map(\.actor) == [adminId])
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// A remembered sign-in at BankID carries its old `auth_time`: fine for signing in, not for a step-up.
    @Test func aStaleAuthTimeIsRefusedAtAStepUpCallback() async throws {
        try await LiveServer.run { server in
            // Anders signs in on the web; BankID remembers him in this browser.
            let start = try await server.get("/v1/auth/bankid/start?client=web")
            let first = try await server.get(try #require(start.location))
            let form = try #require(HTMLForm(html: first.body))
            let target = server.baseURL + form.action
            let signedIn = try await server.postForm(target, form.fields + [("nationalId", Self.anders), ("action", "sign_in")])
            let sso = try #require(signedIn.cookie("bankid_sandbox_sso"))
            let remembered = [("cookie", "bankid_sandbox_sso=\(sso)")]

            server.clock.advance(10 * 60)

            // A plain sign-in offers to continue the remembered one, whose auth_time is ten minutes old:
            // the new Drop session starts stale, so admin writes ask for a step-up at once.
            let plain = try await server.get("/v1/auth/bankid/start?client=web")
            let plainPage = try await server.get(try #require(plain.location), headers: remembered)
            #expect(plainPage.body.contains("Continue as Anders Admin"))
            let continued = try await server.postForm(target, try #require(HTMLForm(html: plainPage.body)).fields + [("action", "continue")], headers: remembered)
            let plainBack = try await server.get(try #require(continued.location), headers: plain.cookie("drop_login").map { [("cookie", "drop_login=\($0)")] } ?? [])
            let token = try #require(plainBack.cookie("drop_token"))
            let session = ("authorization", "Bearer \(token)")
            #expect(try await server.call(.POST, "/v1/admin/str-reports", "{}", auth: session).errorCode == "STEP_UP_REQUIRED")

            // max_age: a remembered sign-in older than it is not offered or accepted.
            let aged = try #require(HTMLForm(html: plainPage.body)).fields + [("max_age", "60"), ("action", "continue")]
            #expect(try await server.postForm(target, aged, headers: remembered).status == 400)

            // A step-up asks for prompt=login: BankID neither offers nor accepts the remembered sign-in.
            let stepUp = try await server.get("/v1/auth/bankid/start?client=web&step_up=true")
            let browser = stepUp.cookie("drop_login").map { [("cookie", "drop_login=\($0)")] } ?? []
            let stepUpPage = try await server.get(try #require(stepUp.location), headers: remembered)
            #expect(stepUpPage.status == 200 && !stepUpPage.body.contains("Continue as"))
            let stepUpForm = try #require(HTMLForm(html: stepUpPage.body))
            #expect(stepUpForm.fields.contains { $0 == ("prompt", "login") } && stepUpForm.fields.contains { $0 == ("max_age", "0") })
            #expect(try await server.postForm(target, stepUpForm.fields + [("action", "continue")], headers: remembered).status == 400)

            // The browser drops prompt and max_age from the form: BankID reuses the old sign-in, and
            // Drop's callback sees an auth_time ten minutes old where it asked for a fresh one.
            let tampered = stepUpForm.fields.filter { $0.0 != "prompt" && $0.0 != "max_age" } + [("action", "continue")]
            let back = try await server.postForm(target, tampered, headers: remembered)
            #expect(back.status == 302)
            let callback = try await server.get(try #require(back.location), headers: browser)
            #expect(callback.status == 302 && callback.location == "/login?error=STEP_UP_FAILED")
            #expect(callback.cookie("drop_token") == nil)
            #expect(try await Self.auditActions(server, "session.step_up_refused").count == 1)
            #expect(try await Self.auditActions(server, "session.stepped_up").isEmpty)

            // Signing in afresh at the step-up works, and the new session may act.
            let (freshBack, freshBrowser) = try await server.approveAtBankID(startURL: "/v1/auth/bankid/start?client=web&step_up=true", nationalId: Self.anders)
            let fresh = try await server.get(try #require(freshBack.location), headers: freshBrowser)
            let freshToken = try #require(fresh.cookie("drop_token"))
            let created = try await server.call(.POST, "/v1/admin/str-reports", "{}", auth: ("authorization", "Bearer \(freshToken)"))
            #expect(created.errorCode != "STEP_UP_REQUIRED" && created.status != 401, "\(created.body)")
            #expect(try await Self.auditActions(server, "session.stepped_up").count == 1)
        }
    }

    @Test func theSettingIsReadAndBounded() throws {
        #expect(try TestApp.config().adminStepUp.maxAge == 300)
        #expect(try TestApp.config(["ADMIN_STEP_UP_MAX_AGE": "120"]).adminStepUp.maxAge == 120)
        for bad in ["0", "5", "86400", "five"] {
            #expect(throws: (any Error).self) { try TestApp.config(["ADMIN_STEP_UP_MAX_AGE": bad]) }
        }
    }
}

enum PKCEChallenge {
    /// A well-formed S256 challenge (43 base64url characters) for starting a flow that isn't finished.
    static let sample = String(repeating: "A", count: 43)
}
