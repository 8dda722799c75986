import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// JSON kept in text columns (alert details, AML findings, a notification's link) is encoded from
/// values: a code or reason that came from outside can't add a field of its own.
@Suite("Stored JSON")
struct StoredJSONTests {
    /// Shaped to close its string and add a field, as a partner's reason code or a rule's reason might.
    static let hostile = #"AC01","amountMinor":1,"x":"\"#

    struct Refusal: Encodable { let returnRefused: String }

    static func insertPerson(_ userId: String, at now: Date, on db: DatabaseConnection) async throws {
        try await UserRepository.insert(UserRecord(
            id: userId, pidHash: "test-\(userId)", name: nil, givenName: nil, familyName: nil, birthdate: nil, phone: nil, email: nil,
            role: .user, kycStatus: .approved, kycApplicantId: nil, riskLevel: .low, isPep: false, isSanctioned: false, locale: "nb",
            createdAt: now, updatedAt: now, deletedAt: nil), on: db)
    }

    @Test func anOperationsAlertKeepsAHostileCodeInsideItsField() async throws {
        try await TestDatabase.with { database in
            try await database.transaction { db in
                try await OperationsAlertRepository.raise(.reconciliationMismatch, entityType: "transaction", entityId: "t1",
                                                          details: Refusal(returnRefused: Self.hostile), at: Date(), on: db)
            }
            let alert = try #require(try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }.first)
            let details = try JSONDecoder().decode([String: String].self, from: Data(alert.details.utf8))
            #expect(details == ["returnRefused": Self.hostile])
        }
    }

    @Test func anAMLAlertAndANotificationReadBackWhatWasWritten() async throws {
        try await TestDatabase.with { database in
            let userId = UUID().uuidString.lowercased()
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let assessment = AMLAssessment(findings: [
                AMLFinding(rule: .largeAmount, score: 40, reason: "Over 100 000 kr.\n\(Self.hostile)", minimumDecision: .clear),
                AMLFinding(rule: .sanctions, score: 100, reason: "Listed", minimumDecision: .block),
            ], totalScore: 140, decision: .block)
            let notification = NotificationRecord(userId: userId, kind: .standingOrder(.active), title: "Approved", body: "It will pay.",
                                                  link: NotificationLink(transactionId: Self.hostile, standingOrderId: "so-1"), createdAt: now)
            let alertId = UUID().uuidString.lowercased()
            try await database.transaction { db in
                try await Self.insertPerson(userId, at: now, on: db)
                try await AMLAlertRepository.insert(id: alertId, userId: userId, transactionId: nil, rule: .sanctions, score: 140,
                                                    details: AMLAlertDetails(assessment), at: now, on: db)
                try await NotificationRepository.insert(notification, on: db)
            }
            let alert = try #require(try await database.withConnection { try await AMLAlertRepository.find(id: alertId, on: $0) })
            #expect(alert.details == AMLAlertDetails(assessment))
            #expect(alert.details.decision == .block && alert.details.findings.map(\.rule) == [.largeAmount, .sanctions])
            let stored = try #require(try await database.withConnection { try await NotificationRepository.find(id: notification.id, on: $0) })
            #expect(stored == notification)
            let text = try await database.withConnection {
                try await $0.raw("SELECT kind, data FROM notifications WHERE id = \(bind: notification.id)").first()!
            }
            #expect(try text.decode(column: "kind", as: String.self) == "standing_order.active")
            #expect(try JSONDecoder().decode([String: String].self, from: Data(text.decode(column: "data", as: String.self).utf8))
                    == ["transactionId": Self.hostile, "standingOrderId": "so-1"])
        }
    }

    /// During a rolling deploy a newer Drop may write a kind this one doesn't know: the person's list,
    /// export and email job must go on with the rest, not fail on that row.
    @Test func aNotificationOfAKindFromANewerVersionIsLeftOutNotFatal() async throws {
        try await TestDatabase.with { database in
            let userId = UUID().uuidString.lowercased()
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let known = NotificationRecord(userId: userId, kind: .bankReconnect, title: "Connect your bank again", body: "DNB",
                                           link: NotificationLink(bankConsentId: "c1"), createdAt: now)
            let newer = UUID().uuidString.lowercased(), garbled = UUID().uuidString.lowercased()
            try await database.transaction { db in
                try await Self.insertPerson(userId, at: now, on: db)
                try await NotificationRepository.insert(known, on: db)
                try await db.raw("""
                    INSERT INTO notifications (id, user_id, kind, title, body, data, created_at)
                    VALUES (\(bind: newer), \(bind: userId), 'wallet.topped_up', 'New', 'From a newer Drop', NULL, \(bind: now.addingTimeInterval(1))),
                           (\(bind: garbled), \(bind: userId), 'bank.reconnect', 'Old', 'Its link is unreadable', '{"bankConsentId":', \(bind: now.addingTimeInterval(2)))
                    """).run()
            }
            let page = try await database.withConnection { try await NotificationRepository.page(userId: userId, limit: 10, before: nil, on: $0) }
            #expect(page.map(\.id) == [garbled, known.id])
            #expect(page.first?.link == nil && page.last == known)
            #expect(try await database.withConnection { try await NotificationRepository.find(id: newer, on: $0) } == nil)
        }
    }
}
