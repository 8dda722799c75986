import DropCore
import DropKit
import DropStore
import Foundation
import NIOHTTP1
import SQLKit
@testable import DropAPI

/// Steps the remittance tests share: fresh reference rates, the signed-in user's id.
extension LiveServer {
    /// Wednesday 14 October 2026, 12:00 UTC (14:00 in Oslo): before Norges Bank's publication
    /// cut-off, so the newest rate is Tuesday's, which is still fresh on Wednesday.
    static let wednesdayNoon = Date(timeIntervalSince1970: 1_791_979_200)

    /// Runs the job worker until it is idle: the recurring `fx.refresh` fetches the rates from
    /// this server's FX sandbox over HTTP, exactly as in development.
    func refreshExchangeRates() async throws {
        let worker = JobWorker(services: services)
        while try await worker.runOnce() {}
    }

    /// The stored rate (units per NOK) for `currency` that prices today.
    func storedRate(_ currency: String) async throws -> String? {
        let today = OsloCalendar.today(services.clock()).iso
        return try await services.database.withConnection { db in
            try await ExchangeRateRepository.latest(base: "NOK", quote: currency, notAfter: today, on: db)?.rate
        }
    }

    func userId(_ auth: (String, String)) async throws -> String {
        try await get("/v1/me", headers: [auth]).decode(DropKit.User.self).id
    }

    /// A JSON call as the app makes it.
    func call(_ method: HTTPMethod, _ url: String, _ body: String? = nil, auth: (String, String)) async throws -> Reply {
        try await request(method, url, headers: [auth] + (body == nil ? [] : [("content-type", "application/json")]), body: body)
    }
}

extension LiveServer.Reply {
    /// The envelope's code; nil when the answer is not an error envelope.
    var errorCode: String? { envelope?.code }
    /// The envelope's details as (field, issue) pairs.
    var errorDetails: [(field: String, issue: String)] {
        apiError.details.map { ($0.field ?? "", $0.issue) }
    }
    func issue(_ field: String) -> String? { errorDetails.first { $0.field == field }?.issue }
}
