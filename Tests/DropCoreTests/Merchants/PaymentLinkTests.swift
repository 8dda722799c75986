import Foundation
import Testing
@testable import DropCore

@Suite("Payment links: static and signed dynamic links, parsing, verification")
struct PaymentLinkTests {
    static let base = "https://drop.example"
    static let signer = PaymentLinkSigner(secret: "test-payment-link-secret-0123456789abcdef")
    static let code = MerchantCode.generate()
    static let now = Date(timeIntervalSince1970: 1_791_979_200)
    static let terms = PaymentLink.Terms(amountMinor: 24_900, reference: "Bord 4 / kaffe & kake", expiresAt: 1_791_980_100)

    @Test func staticLinkIsTheCodeOnly() throws {
        let link = PaymentLink.staticLink(Self.code)
        #expect(link.url(base: Self.base) == "https://drop.example/pay/\(Self.code.value)")
        #expect(try PaymentLink.parse(link.url(base: Self.base), base: Self.base) == link)
        #expect(try PaymentLink.parse(link.url(base: Self.base), base: Self.base + "/") == link)
        try Self.signer.verify(link, now: Self.now)
    }

    @Test func dynamicLinkRoundTripsAndVerifies() throws {
        let link = Self.signer.sign(Self.code, terms: Self.terms)
        let url = link.url(base: Self.base)
        #expect(url.hasPrefix("https://drop.example/pay/\(Self.code.value)?amount=24900&ref=Bord%204%20%2F%20kaffe%20%26%20kake&exp=1791980100&sig="))
        let parsed = try PaymentLink.parse(url, base: Self.base)
        #expect(parsed == link)
        try Self.signer.verify(parsed, now: Self.now)
    }

    @Test func linksMadeBeforeARotationStayValidUntilThePreviousSecretIsDropped() throws {
        let old = Self.signer.sign(Self.code, terms: Self.terms)
        let rotated = PaymentLinkSigner(secrets: ["rotated-payment-link-secret-0123456789ab", "test-payment-link-secret-0123456789abcdef"])
        try rotated.verify(old, now: Self.now)
        let fresh = rotated.sign(Self.code, terms: Self.terms)
        #expect(fresh.signature != old.signature)  // new links are signed with the new secret
        try PaymentLinkSigner(secret: "rotated-payment-link-secret-0123456789ab").verify(fresh, now: Self.now)
        #expect(throws: PaymentLinkError.invalidSignature) {
            try PaymentLinkSigner(secret: "rotated-payment-link-secret-0123456789ab").verify(old, now: Self.now)
        }
    }

    @Test func tamperedTermsBreakTheSignature() throws {
        let link = Self.signer.sign(Self.code, terms: Self.terms)
        let signature = try #require(link.signature)
        let tampered = [
            PaymentLink.Terms(amountMinor: 2_490, reference: Self.terms.reference, expiresAt: Self.terms.expiresAt),
            PaymentLink.Terms(amountMinor: Self.terms.amountMinor, reference: "Bord 5 / kaffe & kake", expiresAt: Self.terms.expiresAt),
            PaymentLink.Terms(amountMinor: Self.terms.amountMinor, reference: Self.terms.reference, expiresAt: Self.terms.expiresAt + 3600),
        ]
        for terms in tampered {
            #expect(throws: PaymentLinkError.invalidSignature) {
                try Self.signer.verify(.dynamic(Self.code, terms: terms, signature: signature), now: Self.now)
            }
        }
        // Another merchant's code under the same signature.
        #expect(throws: PaymentLinkError.invalidSignature) {
            try Self.signer.verify(.dynamic(MerchantCode.generate(), terms: Self.terms, signature: signature), now: Self.now)
        }
        // Another key.
        #expect(throws: PaymentLinkError.invalidSignature) {
            try PaymentLinkSigner(secret: "another-secret-another-secret-0000").verify(link, now: Self.now)
        }
        // A signature with one character changed.
        var characters = Array(signature)
        characters[5] = characters[5] == "A" ? "B" : "A"
        #expect(throws: PaymentLinkError.invalidSignature) {
            try Self.signer.verify(.dynamic(Self.code, terms: Self.terms, signature: String(characters)), now: Self.now)
        }
    }

    @Test func theCanonicalStringCannotBeShifted() {
        // Moving digits between amount and reference must change what is signed.
        let a = PaymentLinkSigner.canonicalString(code: Self.code, terms: .init(amountMinor: 12, reference: "3", expiresAt: 1))
        let b = PaymentLinkSigner.canonicalString(code: Self.code, terms: .init(amountMinor: 1, reference: "23", expiresAt: 1))
        let c = PaymentLinkSigner.canonicalString(code: Self.code, terms: .init(amountMinor: 1, reference: "2\n1:3", expiresAt: 1))
        #expect(Set([a, b, c]).count == 3)
    }

    @Test func expiryIsInclusiveToTheSecond() throws {
        let link = Self.signer.sign(Self.code, terms: Self.terms)
        let expiry = Date(timeIntervalSince1970: TimeInterval(Self.terms.expiresAt))
        try Self.signer.verify(link, now: expiry)
        try Self.signer.verify(link, now: expiry.addingTimeInterval(0.999))
        #expect(throws: PaymentLinkError.expired) { try Self.signer.verify(link, now: expiry.addingTimeInterval(1)) }
        // An expired and tampered link is reported as tampered: the signature is checked first.
        let tampered = PaymentLink.dynamic(Self.code, terms: .init(amountMinor: 1, reference: "", expiresAt: Self.terms.expiresAt), signature: link.signature!)
        #expect(throws: PaymentLinkError.invalidSignature) { try Self.signer.verify(tampered, now: expiry.addingTimeInterval(60)) }
    }

    @Test(arguments: [
        "https://evil.example/pay/CODE",
        "https://drop.example/pay/",
        "https://drop.example/pay/ABC",
        "https://drop.example/pay/CODE?amount=100",
        "https://drop.example/pay/CODE?amount=100&exp=1",
        "https://drop.example/pay/CODE?amount=-100&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount=+100&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount=0&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount=1e3&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount=100&exp=soon&sig=SIG",
        "https://drop.example/pay/CODE?amount=100&exp=1&sig=short",
        "https://drop.example/pay/CODE?amount=100&amount=200&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount=100&exp=1&sig=SIG&extra=1",
        "https://drop.example/pay/CODE?amount=100&exp=1&sig=SIG&ref=%ZZ",
        "https://drop.example/pay/CODE?amount=100&exp=1&sig=SIG&ref=a%0Ab",
        "https://drop.example/pay/CODE?amount=99999999999999999999&exp=1&sig=SIG",
        "https://drop.example/pay/CODE?amount",
    ])
    func malformedLinksDoNotParse(_ template: String) {
        let signature = Self.signer.sign(Self.code, terms: Self.terms).signature!
        let url = template.replacingOccurrences(of: "CODE", with: Self.code.value).replacingOccurrences(of: "SIG", with: signature)
        #expect(throws: PaymentLinkError.self) { try PaymentLink.parse(url, base: Self.base) }
    }

    @Test func referencesAreShortAndPrintable() {
        #expect(PaymentReference.issue("") == nil)
        #expect(PaymentReference.issue("Faktura 2026-104 æøå") == nil)
        #expect(PaymentReference.issue(String(repeating: "x", count: 35)) == nil)
        #expect(PaymentReference.issue(String(repeating: "x", count: 36))?.issue == "too_long")
        // Counted in code points, as the bank counts its text: 8 family emoji are 8 characters and 40 code points.
        #expect(PaymentReference.issue(String(repeating: "👨‍👩‍👧", count: 8))?.issue == "too_long")
        #expect(PaymentReference.issue(String(repeating: "👨‍👩‍👧", count: 7)) == nil)
        #expect(PaymentReference.issue("a\u{7}b")?.issue == "format")
    }

    @Test func constantTimeCompare() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
    }
}
