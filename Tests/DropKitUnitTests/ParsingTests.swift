import Foundation
import Testing
@testable import DropKit

@Suite("DropKit parsing")
struct DropKitParsingTests {
    @Test func pkceMatchesTheStandardsVectors() {
        // FIPS 180-4 examples and RFC 7636 appendix B.
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(PKCE.portableSHA256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(PKCE.portableSHA256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(PKCE.portableSHA256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(PKCE.portableSHA256(Array(repeating: UInt8(ascii: "a"), count: 1000)))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let fresh = PKCE()
        #expect(fresh.verifier.count == 43 && fresh.verifier.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(fresh != PKCE())
        let url = SignIn.authorizeURL(baseURL: URL(string: "https://drop.example")!, pkce: PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        #expect(url.absoluteString == "https://drop.example/v1/auth/bankid/start?client=mobile&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func everyLinkTheServerSendsIsARoute() {
        func link(_ text: String) -> DeepLink? { DeepLink(url: URL(string: text)!) }
        #expect(link("drop://auth/callback?code=abc") == .authCallback(code: "abc"))
        #expect(link("drop://auth/callback?error=AGE_RESTRICTED") == .authFailed(error: "AGE_RESTRICTED"))
        #expect(link("drop://auth/callback") == nil)
        #expect(link("drop://bank-accounts/callback?connected=dnb") == .bankLinked(bank: "dnb"))
        #expect(link("drop://bank-accounts/callback?error=PSU_MISMATCH") == .bankLinkFailed(error: "PSU_MISMATCH"))
        #expect(link("drop://bank-accounts/callback") == nil)
        #expect(link("drop://transactions/6F9619FF-8B86-D011-B42D-00C04FC964FF") == .transaction(id: "6f9619ff-8b86-d011-b42d-00c04fc964ff"))
        #expect(link("drop://transactions/not-an-id") == nil)
        // Only the app scheme carries callbacks: a web page can't pretend to be the bank's return.
        #expect(link("https://drop.no/auth/callback?code=abc") == nil)
        #expect(link("https://drop.no/transactions/6F9619FF-8B86-D011-B42D-00C04FC964FF") == nil)
        let pay = link("https://drop.no/pay/kaffe-mona?amount=24900&ref=Bord%204&exp=1790000000&sig=abc_-")
        #expect(pay == .pay(.init(merchantCode: "kaffe-mona", amountMinor: 24900, reference: "Bord 4", expiresAt: 1_790_000_000, signature: "abc_-")))
        #expect(link("drop://pay/kaffe-mona") == .pay(.init(merchantCode: "kaffe-mona", amountMinor: nil, reference: nil, expiresAt: nil, signature: nil)))
        #expect(link("https://drop.no/pay/kaffe-mona?amount=-5") == nil)
        #expect(link("https://drop.no/pay/a%20b") == nil)
        #expect(link("ftp://drop.no/pay/kaffe") == nil)
    }

    @Test func aScannedLinkMustComeFromDrop() throws {
        let origin = URL(string: "https://drop.no")!
        func scan(_ text: String, _ origin: URL = URL(string: "https://drop.no")!) -> Result<DeepLink.PaymentLink, DeepLink.PaymentLinkRefusal> {
            DeepLink.paymentLink(from: text, origin: origin)
        }
        #expect(try scan(" https://drop.no/pay/kaffe-mona\n").get().merchantCode == "kaffe-mona")
        #expect(try scan("https://DROP.no:443/pay/kaffe-mona?amount=100&ref=&exp=1&sig=x").get().amountMinor == 100)
        #expect(try scan("drop://pay/kaffe-mona").get().isStatic)
        #expect(scan("https://drop.no.evil.example/pay/kaffe-mona") == .failure(.foreignOrigin(host: "drop.no.evil.example")))
        #expect(scan("https://drop.no@evil.example/pay/kaffe-mona") == .failure(.foreignOrigin(host: "evil.example")))
        #expect(scan("http://drop.no/pay/kaffe-mona") == .failure(.foreignOrigin(host: "drop.no")))
        #expect(scan("https://drop.no:8443/pay/kaffe-mona") == .failure(.foreignOrigin(host: "drop.no")))
        #expect(scan("https://drop.no/transactions/x") == .failure(.notAPaymentLink))
        #expect(scan("hello") == .failure(.notALink))
        #expect(scan("mailto:a@b.no") == .failure(.notALink))
        _ = origin
        // Drop under a base path: the path must start with it.
        let based = URL(string: "https://example.no/drop")!
        #expect(try scan("https://example.no/drop/pay/kaffe-mona", based).get().merchantCode == "kaffe-mona")
        #expect(scan("https://example.no/pay/kaffe-mona", based) == .failure(.notAPaymentLink))
    }

    @Test func errorsBecomeProblemsAViewCanShow() {
        func problem(_ status: Int, _ body: String, retryAfter: String? = nil) -> Problem {
            APIError.decode(status: status, body: Data(body.utf8), retryAfter: APIError.retryAfterSeconds(retryAfter)).problem
        }
        #expect(problem(401, Wire.error("UNAUTHENTICATED")) == .signedOut)
        #expect(problem(429, Wire.error("RATE_LIMITED"), retryAfter: "42") == .rateLimited(retryAfter: 42))
        #expect(problem(503, Wire.error("PROVIDER_UNAVAILABLE"), retryAfter: "30") == .providerUnavailable(retryAfter: 30))
        #expect(problem(503, "<html>busy</html>") == .server(code: "HTTP_503", message: "The server answered 503."))
        let invalid = problem(422, Wire.error("VALIDATION_FAILED", #"[{"field":"iban","issue":"checksum","message":"Check the IBAN."},{"field":"name","issue":"required"}]"#))
        #expect(invalid.fields == ["iban": FieldIssue(issue: "checksum", message: "Check the IBAN."), "name": FieldIssue(issue: "required")])
        #expect(problem(422, Wire.error("LIMIT_EXCEEDED")) == .rejected(code: "LIMIT_EXCEEDED", message: "LIMIT_EXCEEDED happened."))
        #expect(problem(400, Wire.error("BAD_REQUEST", #"[{"field":"amountMinor","issue":"format"}]"#)).fields["amountMinor"]?.issue == "format")
        #expect(problem(409, Wire.error("KYC_IN_PROGRESS")) == .conflict(code: "KYC_IN_PROGRESS", message: "KYC_IN_PROGRESS happened."))
        #expect(problem(404, Wire.error("NOT_FOUND")) == .notFound(message: "NOT_FOUND happened."))
        #expect(Problem(URLError(.notConnectedToInternet)) == .offline)
        #expect(APIError.retryAfterSeconds("Wed, 14 Oct 2026 12:01:00 GMT", now: Date(timeIntervalSince1970: 1_791_979_200)) == 60)
        #expect(APIError.retryAfterSeconds("soon") == nil)
    }

    @Test func moneyIsMinorUnitsAllTheWay() {
        #expect(Money.parseMinor("1005") == 100_500)
        #expect(Money.parseMinor("1 005,5") == 100_550)
        #expect(Money.parseMinor("0.07") == 7)
        #expect(Money.parseMinor(",5") == 50)
        #expect(Money.parseMinor("1,005") == nil)
        #expect(Money.parseMinor("-5") == nil)
        #expect(Money.parseMinor("1e3") == nil)
        #expect(Money.parseMinor("") == nil)
        #expect(Money(amountMinor: 100_500, currency: "NOK").formatted(locale: Locale(identifier: "en_US")) == "1,005.00 NOK")
        #expect(Money(amountMinor: 123_456_789, currency: "EUR").formatted(locale: Locale(identifier: "en_US")) == "1,234,567.89 EUR")
        #expect(Money(amountMinor: 1500, currency: "JPY").formatted(locale: Locale(identifier: "en_US")) == "1,500 JPY")
        #expect(Money(amountMinor: -7, currency: "NOK").formatted(locale: Locale(identifier: "en_US")) == "-0.07 NOK")
        // ISO 4217 exponents as the server pays them, for every currency it knows (not only today's corridors).
        #expect(["XOF", "XAF", "RWF", "PYG", "GNF", "VND"].allSatisfy { Money(amountMinor: 0, currency: $0).minorUnitExponent == 0 })
        #expect(["LYD", "IQD", "KWD"].allSatisfy { Money(amountMinor: 0, currency: $0).minorUnitExponent == 3 })
        #expect(Money(amountMinor: 1500, currency: "XOF").formatted(locale: Locale(identifier: "en_US")) == "1,500 XOF")
        #expect(Money(amountMinor: 1500, currency: "IQD").formatted(locale: Locale(identifier: "en_US")) == "1.500 IQD")
    }

    /// The app counts a quote down by the server's rule: it can be confirmed until its `expiresAt`, not at it.
    @Test func aQuoteEndsAtItsExpiryAsOnTheServer() throws {
        let quote = try DropClient.decoder.decode(Quote.self, from: Data(Wire.quote(id: "q", expiresAt: "2026-10-14T12:15:00Z").utf8))
        #expect(quote.secondsLeft(at: quote.createdAt) == 900)
        #expect(quote.secondsLeft(at: quote.expiresAt.addingTimeInterval(-1)) == 1)
        #expect(quote.secondsLeft(at: quote.expiresAt.addingTimeInterval(-0.25)) == 1)
        #expect(quote.secondsLeft(at: quote.expiresAt) == 0 && quote.secondsLeft(at: quote.expiresAt.addingTimeInterval(0.5)) == 0)
    }

    @Test func serverSentEventsAreReadAcrossChunks() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data(": stream of payments\nretry: 2000\n\n".utf8)).isEmpty)
        let bytes = Array("id: 7\r\nevent: payment\r\ndata: {\"status\":\"fullført ✓\"}\r\n\r\n: heartbeat\n\nid: 8\ndata: a\ndata: b\n\n".utf8)
        var events: [ServerSentEventParser.Event] = []
        for index in bytes.indices { events += parser.feed(Data([bytes[index]])) }  // one byte at a time, splitting ø and ✓
        #expect(events == [.init(id: "7", event: "payment", data: #"{"status":"fullført ✓"}"#), .init(id: "8", event: nil, data: "a\nb")])
    }

    /// The phone's id is made once and kept: the same on every launch, across sign-outs, new on another phone.
    @Test func aPhoneKeepsOneDeviceIDAcrossLaunchesAndSignOuts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dropkit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = await DeviceID.kept(in: FileTokenStore(path: directory + "/device-id"))
        #expect(first.count == 43 && first.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        // Launched again (a new store value on the same file), and after the session token was forgotten.
        let tokens = FileTokenStore(path: directory + "/token")
        await tokens.save("session")
        await tokens.save(nil)
        #expect(await DeviceID.kept(in: FileTokenStore(path: directory + "/device-id")) == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/device-id")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Another phone.
        #expect(await DeviceID.kept(in: InMemoryTokenStore()) != first)
    }

    @Test func theFileTokenStoreIsOwnerOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dropkit-\(UUID().uuidString)/nested").path
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let store = FileTokenStore(path: directory + "/token")
        #expect(await store.load() == nil)
        await store.save("secret-1")
        await store.save("secret-2")
        #expect(await store.load() == "secret-2")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/token")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["token"])
        await store.save(nil)
        #expect(await store.load() == nil && !FileManager.default.fileExists(atPath: directory + "/token"))
    }
}
