import DropCore
import Foundation
import SQLKit

/// A customer's identity check as Drop keeps it on `users`, and the screening results it brings.
public enum KYCRepository {
    /// Where the check stands and, when rejected, the provider's labels (comma-separated).
    public struct State: Sendable, Equatable {
        public let status: KYCStatus
        public let rejectLabels: String?
        /// When the last provider event was applied.
        public let updatedAt: Date?
    }

    public static func state(userId: String, on db: DatabaseConnection) async throws -> State? {
        try await db.raw("SELECT kyc_status, kyc_reject_labels, kyc_updated_at FROM users WHERE id = \(bind: userId)").first().map {
            State(status: try $0.decode(column: "kyc_status", caseOf: KYCStatus.self), rejectLabels: try $0.decode(column: "kyc_reject_labels", as: String?.self),
                  updatedAt: try $0.decode(column: "kyc_updated_at", as: Date?.self))
        }
    }

    /// Links the provider's applicant; a customer who had not started is pending from now.
    public static func start(userId: String, applicantId: String, at now: Date, on db: DatabaseConnection) async throws {
        try await db.raw("""
            UPDATE users SET kyc_applicant_id = \(bind: applicantId),
                kyc_status = CASE WHEN kyc_status IN ('none') THEN 'pending' ELSE kyc_status END,
                kyc_updated_at = COALESCE(kyc_updated_at, \(bind: now)), updated_at = \(bind: now)
            WHERE id = \(bind: userId)
            """).run()
    }

    /// Stores the provider's verdict as of `eventAt` and the risk facts it carries. A PEP or sanctions
    /// flag once set stays set: the write ORs it with what is stored, so no verdict read before
    /// another's can clear it.
    public static func applyVerdict(userId: String, status: KYCStatus, rejectLabels: String?, eventAt: Date, isPep: Bool, isSanctioned: Bool,
                                    riskLevel: CustomerRiskLevel, at now: Date, on db: DatabaseConnection) async throws {
        try await db.raw("""
            UPDATE users SET kyc_status = \(bind: status.rawValue), kyc_reject_labels = \(bind: rejectLabels),
                kyc_updated_at = \(bind: eventAt), is_pep = (is_pep OR \(bind: isPep)), is_sanctioned = (is_sanctioned OR \(bind: isSanctioned)),
                risk_level = \(bind: riskLevel.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: userId)
            """).run()
    }

    /// One PEP or sanctions screening outcome from the provider (`kind` "pep" or "sanctions").
    public static func recordScreening(userId: String, kind: String, hit: Bool, details: String?, at now: Date,
                                       on db: DatabaseConnection) async throws {
        try await db.raw("""
            INSERT INTO screening_results (id, user_id, provider, kind, hit, details, screened_at)
            VALUES (\(bind: RecordID.make()), \(bind: userId), 'sumsub', \(bind: kind), \(bind: hit),
                    \(bind: details), \(bind: now))
            """).run()
    }
}
