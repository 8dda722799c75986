import DropProviders
import DropSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The sandbox checks Sumsub's app-token signature on every API call, over real HTTP.
@Suite("Sumsub sandbox request signatures")
struct SumsubSandboxAuthenticationTests {
    /// Sumsub's error body, by its names on the wire.
    struct ErrorBody: Decodable {
        let description: String
        let code: Int
        let correlationId: String
    }

    static let createBody = #"{"externalUserId":"user-1","fixedInfo":{"firstName":"Kari","lastName":"Nordmann","dob":"1990-03-15","country":"NOR"}}"#

    func withSandbox(_ body: @Sendable (SumsubLive) async throws -> Void) async throws {
        let stateFile = SumsubSandboxHarness.temporaryStateFile()
        defer { try? FileManager.default.removeItem(atPath: (stateFile as NSString).deletingLastPathComponent) }
        try await SumsubSandboxHarness(stateFilePath: stateFile).run(body)
    }

    @Test("a correctly signed request is accepted")
    func accepted() async throws {
        try await withSandbox { live in
            let created = try await live.signed(.post, "/resources/applicants?levelName=basic-kyc-level", body: Self.createBody)
            #expect(created.status == .created)
            let unknown = try await live.signed(.get, "/resources/applicants/000000000000000000000000/one")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("wrong secret, unknown token, missing headers: 401 Invalid signature")
    func badCredentials() async throws {
        try await withSandbox { live in
            let wrongSecret = try await live.signed(.get, "/resources/applicants/x/status", secretKey: "not-the-secret")
            #expect(wrongSecret.status == .unauthorized)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(wrongSecret.body.readableBytesView))
            #expect(body.description == "Invalid signature")
            #expect(body.code == 401)
            #expect(body.correlationId.hasPrefix("req-"))

            let unknownToken = try await live.signed(.get, "/resources/applicants/x/status", appToken: "sbx:someone-else")
            #expect(unknownToken.status == .unauthorized)

            let unsigned = try await live.client.execute(uri: "\(SumsubSandboxHarness.mount)/resources/applicants/x/status", method: .get)
            #expect(unsigned.status == .unauthorized)
        }
    }

    @Test("timestamps more than 60 s from the sandbox's clock are refused", arguments: [
        (-61, false), (-59, true), (59, true), (61, false),
    ])
    func timestampWindow(offset: Int, accepted: Bool) async throws {
        try await withSandbox { live in
            let response = try await live.signed(.get, "/resources/applicants/x/status", timestampOffset: offset)
            #expect(response.status == (accepted ? .notFound : .unauthorized))
        }
    }

    @Test("a body or query changed after signing is refused")
    func tampered() async throws {
        try await withSandbox { live in
            let tamperedBody = try await live.signed(
                .post, "/resources/applicants?levelName=basic-kyc-level",
                body: Self.createBody.replacingOccurrences(of: "user-1", with: "user-2"), signedBody: Self.createBody
            )
            #expect(tamperedBody.status == .unauthorized)

            let tamperedQuery = try await live.signed(
                .post, "/resources/applicants?levelName=basic-kyc-level", body: Self.createBody,
                signedPathWithQuery: "/resources/applicants?levelName=other-level"
            )
            #expect(tamperedQuery.status == .unauthorized)

            let wrongMethod = try await live.client.execute(
                uri: "\(SumsubSandboxHarness.mount)/resources/accessTokens/sdk", method: .post,
                headers: signedHeaders(live: live, method: "GET", target: "\(SumsubSandboxHarness.mount)/resources/accessTokens/sdk"),
                body: nil
            )
            #expect(wrongMethod.status == .unauthorized)
            // Nothing was created by the refused calls.
            #expect(try await live.sumsubClient().applicant(byExternalUserId: "user-2") == nil)
        }
    }

    private func signedHeaders(live: SumsubLive, method: String, target: String) -> HTTPFields {
        let signer = SumsubRequestSigner(appToken: SumsubSandboxHarness.appToken, secretKey: SumsubSandboxHarness.secretKey)
        var fields = HTTPFields()
        for header in signer.headers(
            timestamp: Int(live.clock.now().timeIntervalSince1970), method: method, pathWithQuery: target
        ) {
            fields[HTTPField.Name(header.name)!] = header.value
        }
        return fields
    }
}
