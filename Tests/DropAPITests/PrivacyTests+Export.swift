import DropKit
import Foundation
import Testing
@testable import DropAPI

extension PrivacyTests {
    /// The export holds the customer's own business, the devices they signed in from and the
    /// transfers they share by a link, and nobody else's.
    @Test func theExportHoldsTheBusinessTheDevicesAndTheSharedLinks() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            _ = try await server.signInWeb(LiveServer.mona, device: "laptop")  // her app and the helpers' default browser are one device
            let (kari, transferId, _) = try await Self.kariWithHistory(server)
            _ = try await server.signInWeb(Self.kari, device: "kari's phone")
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/tracking-link", headers: [kari.auth]).status == 201)

            let monas = try await server.get("/v1/gdpr/export", headers: [mona.auth])
            let export = try monas.decode(DropKit.DataExport.self)
            let business = try #require(export.merchant)
            #expect(business.code == mona.code && business.name == "Monas Kaffebar" && business.organisationNumber.filter(\.isNumber) == "923456783")
            #expect(business.settlementAccount == mona.settlementAccount)
            #expect(export.knownDevices.contains { $0["client"] == .string("web") })
            #expect(export.trackingLinks.isEmpty && !monas.body.contains(transferId))

            let karis = try await server.get("/v1/gdpr/export", headers: [kari.auth]).decode(DropKit.DataExport.self)
            #expect(karis.merchant == nil)
            #expect(karis.trackingLinks.map { $0["transactionId"] } == [.string(transferId)])
            // Her phone (the app she onboarded in) and the browser.
            #expect(karis.knownDevices.count == 2 && karis.knownDevices.contains { $0["client"] == .string("web") }
                    && karis.knownDevices.contains { $0["client"] == .string("mobile") })
        }
    }
}
