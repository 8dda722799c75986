import DropCore
import DropKit
import Foundation
import HTTPTypes
import Testing
@testable import DropAPI

/// A list's `from` and `to` are times Drop can bind (`AcceptedTimes`, 1970 to the end of 9999):
/// ISO 8601 parsing takes years past 9999, and PostgresNIO traps binding one, so
/// `?from=300000-01-01` crashed the server on PostgreSQL. Now it is a 422 naming the field.
@Suite("Date filters: only times Drop can bind")
struct DateFilterTests {
    static func issue(_ error: () throws -> Date?) -> String? {
        do {
            _ = try error()
            return nil
        } catch let error as AppError {
            return error.status == .unprocessableContent ? error.details.first?.issue : "status \(error.status.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test func theParserRefusesTimesOutsideTheAcceptedRange() throws {
        for raw in ["300000-01-01", "300000-01-01T00:00:00Z", "10000-01-01", "1969-12-31", "1969-12-31T23:59:59Z", "10000-01-01T00:00:00Z"] {
            #expect(Self.issue { try QueryParameter.date(raw, field: "from") } == "range", "\(raw)")
        }
        #expect(Self.issue { try QueryParameter.date("yesterday", field: "from") } == "format")
        #expect(try QueryParameter.date("1970-01-01", field: "from") == Date(timeIntervalSince1970: 0))
        #expect(try QueryParameter.date("9999-12-31T23:59:59Z", field: "to") == Date(timeIntervalSince1970: 253_402_300_799))
        #expect(try QueryParameter.date("2026-10-14T12:00:00+02:00", field: "to") == Date(timeIntervalSince1970: 1_791_972_000))

        // The merchant dashboard's period likewise (a day there is an Oslo day).
        #expect(Self.issue { try MerchantDashboardService.bound("300000-01-01T00:00:00Z", field: "from", end: false) } == "range")
        #expect(Self.issue { try MerchantDashboardService.bound("1960-01-01T00:00:00Z", field: "to", end: true) } == "range")
        #expect(try MerchantDashboardService.bound("9999-12-30", field: "to", end: true) != nil)
    }

    @Test func everyListWithADateFilterAnswers422ForAFarOffTime() async throws {
        try await RouterApp.test(clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await app.bearer(BankLinkRouterTests.kari)
            let admin = try await app.bearer(ComplianceAdminTests.anders)
            for (path, auth) in [("/v1/transactions", kari), ("/v1/admin/aml-alerts", admin), ("/v1/admin/audit-log", admin),
                                 ("/v1/admin/transactions", admin)] {
                for (field, value) in [("from", "300000-01-01"), ("to", "300000-01-01T00:00:00Z"), ("from", "1900-01-01")] {
                    let reply = try await app.get("\(path)?\(field)=\(value)", auth)
                    #expect(reply.status == .unprocessableContent, "\(path) \(field)=\(value): \(reply.text)")
                    #expect(reply.apiError.details.map(\.field) == [field] && reply.apiError.details.map(\.issue) == ["range"], "\(path)")
                }
                #expect(try await app.get("\(path)?from=1970-01-01&to=9999-12-31T23:59:59Z", auth).status == .ok, "\(path)")
            }
        }
    }
}
