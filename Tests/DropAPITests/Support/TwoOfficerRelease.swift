import Foundation
import NIOHTTP1

/// A held transfer's release takes two officers (ADR 0032). Tests that release go through both steps.
extension LiveServer {
    /// Berit Admin, the second development officer.
    static let secondOfficer = "12088210261"

    /// `proposer` (Berit unless given) proposes the release, or finds it already proposed; then
    /// `approver` approves it with `body`. A refused proposal (not held, unknown, own case) is the answer.
    func release(_ id: String, _ body: String?, approvedBy approver: (String, String), proposedBy proposer: (String, String)? = nil) async throws -> Reply {
        var proposerAuth = proposer
        if proposerAuth == nil { proposerAuth = try await bearer(Self.secondOfficer) }
        guard let proposer = proposerAuth else { throw DriverError("no proposer") }
        let proposed = try await call(.POST, "/v1/admin/transactions/\(id)/release-proposal", #"{"reason":"Looked at it: documented."}"#, auth: proposer)
        guard proposed.status == 200 || proposed.errorCode == "RELEASE_ALREADY_PROPOSED" else { return proposed }
        return try await call(.POST, "/v1/admin/transactions/\(id)/release", body, auth: approver)
    }
}
