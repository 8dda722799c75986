import DropCore
import Foundation
import Testing

@Suite struct EmailVerificationTests {
    let verification = EmailVerification(secret: "a server secret that is long enough to be one")
    let now = Date(timeIntervalSince1970: 1_796_300_000)

    @Test func aLinkNamesItsUserAndWorksForItsAddressOnly() throws {
        let token = verification.token(userId: "u-1", address: "Kari@Example.no", expiresAt: now.addingTimeInterval(3600))
        let claim = try verification.verify(token, now: now)
        #expect(claim.userId == "u-1")
        #expect(claim.isFor("kari@example.no"))
        #expect(!claim.isFor("ola@example.no"))
        #expect(!token.lowercased().contains("kari"))
    }

    @Test func anExpiredLinkIsRefused() {
        let token = verification.token(userId: "u-1", address: "kari@example.no", expiresAt: now)
        #expect(throws: EmailVerification.Failure.expired) { try verification.verify(token, now: now.addingTimeInterval(1)) }
    }

    @Test func aLinkMadeWithAnotherKeyOrAlteredIsRefused() {
        let token = verification.token(userId: "u-1", address: "kari@example.no", expiresAt: now.addingTimeInterval(3600))
        let other = EmailVerification(secret: "another secret").token(userId: "u-1", address: "kari@example.no", expiresAt: now.addingTimeInterval(3600))
        let forged = Base64URL.encode(Array("v1.u-2.9999999999.\(String(repeating: "0", count: 32))".utf8)) + "." + token.split(separator: ".")[1]
        for bad in [other, forged, String(token.dropLast()), token + "A", "", ".", "x.y", String(repeating: "A", count: 600)] {
            #expect(throws: EmailVerification.Failure.invalid) { try verification.verify(bad, now: now) }
        }
    }
}
