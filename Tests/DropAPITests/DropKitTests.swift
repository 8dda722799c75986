import DropAPI
import DropKit
import Foundation
import HummingbirdTesting
import Testing

@Suite("DropKit")
struct DropKitTests {
    @Test func clientTalksToALiveServer() async throws {
        try await TestApp.test(.live) { client, _ in
            let port = try #require(client.port)
            let drop = DropClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            #expect(try await drop.health() == .init(status: "ok"))
            do {
                let _: DropClient.Health = try await drop.send("GET", "v1/nothing")
                Issue.record("expected an error")
            } catch let error as APIError {
                #expect(error.status == 404)
                #expect(error.code == "NOT_FOUND")
            }
        }
    }

    @Test func deepLinks() {
        #expect(DeepLink(url: URL(string: "drop://auth/callback?code=abc")!) == .authCallback(code: "abc"))
        #expect(DeepLink(url: URL(string: "drop://auth/callback?error=AGE_RESTRICTED")!) == .authFailed(error: "AGE_RESTRICTED"))
        #expect(DeepLink(url: URL(string: "drop://auth/callback")!) == nil)
        let pay = DeepLink(url: URL(string: "https://drop.no/pay/kaffe-mona?amount=24900&ref=INV7&exp=1790000000&sig=abc_-")!)
        #expect(pay == .pay(.init(merchantCode: "kaffe-mona", amountMinor: 24900, reference: "INV7", expiresAt: 1_790_000_000, signature: "abc_-")))
        #expect(DeepLink(url: URL(string: "drop://pay/kaffe-mona")!) == .pay(.init(merchantCode: "kaffe-mona", amountMinor: nil, reference: nil, expiresAt: nil, signature: nil)))
        #expect(DeepLink(url: URL(string: "https://drop.no/pay/kaffe-mona?amount=-5")!) == nil)
        #expect(DeepLink(url: URL(string: "https://drop.no/pay/a b")!) == nil)
        #expect(DeepLink(url: URL(string: "ftp://drop.no/pay/kaffe")!) == nil)
    }
}
