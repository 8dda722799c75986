import Foundation
import SQLKit

/// What erasing a customer depends on: the records AML law keeps, and the payments still moving.
public enum ErasureRepository {
    /// How many of each kind of record AML law keeps the customer has.
    public struct RetainedCounts: Sendable, Equatable {
        /// 1 when the customer went through KYC (their pid hash and outcome are kept), else 0.
        public let kyc: Int
        public let transfers: Int
        public let alerts: Int
        public let reports: Int
        /// Decisions the person made as a compliance officer on other customers' records (alerts
        /// decided, reports drafted or filed, held transfers reviewed): they name them.
        public let decisions: Int
    }

    /// Payments still moving: erasing now would leave a payment nobody can follow or be told about.
    public static let inFlightStatuses = ["pending_sca", "processing", "held"]

    public static func retainedCounts(userId: String, on db: DatabaseConnection) async throws -> RetainedCounts? {
        try await db.raw("""
            SELECT (SELECT COUNT(*) FROM users WHERE id = \(bind: userId) AND kyc_status <> 'none') AS kyc,
                   (SELECT COUNT(*) FROM transactions WHERE user_id = \(bind: userId)) AS transfers,
                   (SELECT COUNT(*) FROM aml_alerts WHERE user_id = \(bind: userId)) AS alerts,
                   (SELECT COUNT(*) FROM str_reports WHERE user_id = \(bind: userId)) AS reports,
                   \(PersonalData.officerDecisions(of: userId)) AS decisions
            """).first().map {
                RetainedCounts(kyc: try $0.decode(column: "kyc", as: Int.self), transfers: try $0.decode(column: "transfers", as: Int.self),
                               alerts: try $0.decode(column: "alerts", as: Int.self), reports: try $0.decode(column: "reports", as: Int.self),
                               decisions: try $0.decode(column: "decisions", as: Int.self))
            }
    }

    /// The customer's payments in one of `inFlightStatuses`.
    public static func paymentsInFlight(userId: String, on db: DatabaseConnection) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM transactions WHERE user_id = \(bind: userId)
              AND status IN (\(unsafeRaw: inFlightStatuses.map { "'\($0)'" }.joined(separator: ", ")))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
