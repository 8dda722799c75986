@testable import DropAPI
import DropCore
import DropKit
@_spi(FaultInjection) import DropStore
import DropWeb
@_spi(FaultInjection) import DropTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Drop at the router, with its outside parties as in-memory fakes: no sockets, no sandboxes, a
/// fresh database. For the API's behaviour around a party; the journeys through the sandboxes'
/// real wire formats stay on `LiveServer` (docs/architecture.md, "Wiring").
struct RouterApp {
    let client: any TestClientProtocol
    let services: AppServices
    let bankID: InMemoryBankID

    /// `pages`: the web app's pages too (`WebFeature`), for a page that reads what the API keeps in memory.
    /// `environment`: settings over the test configuration's (`TestApp.config`).
    static func test(providers: AppServices.Providers = AppServices.Providers(), clock: TestClock = TestClock(), pages: Bool = false,
                     environment: [String: String] = [:], databaseFaults: DatabaseFaults? = nil,
                     _ body: @escaping @Sendable (RouterApp) async throws -> Void) async throws {
        let bankID = InMemoryBankID()
        try await TestDatabase.with(faults: databaseFaults) { database in
            let services = try await TestApp.services(database: database, clock: clock, identityProvider: bankID, providers: providers,
                                                      config: try TestApp.config(environment))
            let app = buildApplication(services: services, extraFeatures: pages ? [WebFeature()] : [])
            try await app.test(.router) { client in try await body(RouterApp(client: client, services: services, bankID: bankID)) }
        }
    }

    func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
    }

    func post(_ uri: String, _ json: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.post, uri, json, headers)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, _ json: String?, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Signs `nationalId` in the way the app does (BankID, then the one-time code for a token) and
    /// returns the bearer header.
    func bearer(_ nationalId: String, birthDate: String = "1990-03-15", name: String = "Kari Nordmann") async throws -> HTTPFields {
        let verifier = String(repeating: "v", count: 43)
        let start = try await get("/v1/auth/bankid/start?client=mobile&code_challenge=\(DropAPI.PKCE.challenge(for: verifier))")
        guard let authorize = start.headers[.location].flatMap(URLComponents.init(string:)),
              let state = authorize.queryItems?.first(where: { $0.name == "state" })?.value else { throw RouterAppError("no BankID redirect") }
        let back = try bankID.approve(signIn: state, nationalId: nationalId, birthDate: birthDate, name: name)
        let callback = try await get(Self.pathAndQuery(back))
        guard let location = callback.headers[.location].flatMap(URLComponents.init(string:)),
              let code = location.queryItems?.first(where: { $0.name == "code" })?.value else { throw RouterAppError("no one-time code") }
        // The same phone for the same person, as the app keeps its id: a second sign-in is not told as a new device.
        let device = LiveServer.deviceID(nationalId + ":default")
        let issued = try await post("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(verifier)","deviceId":"\#(device)"}"#)
        guard let token = (try? issued.decode(IssuedToken.self))?.token else { throw RouterAppError("token exchange answered \(issued.status)") }
        return [.authorization: "Bearer \(token)"]
    }

    /// The path and query of an absolute URL Drop gave (the router is reached without a host).
    static func pathAndQuery(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}

struct RouterAppError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
