import DropProviders
import Foundation
import Testing

@Suite("Open-banking webhook signature")
struct OpenBankingWebhookTests {
    let body = Array(#"{"eventId":"evt-1","occurredAt":"2026-11-18T10:00:00Z","paymentId":"p1","transactionStatus":"ACSC"}"#.utf8)
    let secret = "whsec-test"
    let signedAt = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func goodSignatureVerifies() {
        let header = OpenBankingWebhook.sign(rawBody: body, secret: secret, timestamp: signedAt)
        #expect(header.hasPrefix("t=1795000000,v1="))
        #expect(OpenBankingWebhook.verify(rawBody: body, signatureHeader: header, secret: secret, now: signedAt.addingTimeInterval(10)))
    }

    @Test func tamperedBodyOrWrongSecretFails() {
        let header = OpenBankingWebhook.sign(rawBody: body, secret: secret, timestamp: signedAt)
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "X")
        #expect(!OpenBankingWebhook.verify(rawBody: tampered, signatureHeader: header, secret: secret, now: signedAt))
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: header, secret: "other", now: signedAt))
    }

    @Test func staleOrFutureTimestampFails() {
        let header = OpenBankingWebhook.sign(rawBody: body, secret: secret, timestamp: signedAt)
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: header, secret: secret, now: signedAt.addingTimeInterval(301)))
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: header, secret: secret, now: signedAt.addingTimeInterval(-301)))
    }

    @Test func missingOrGarbledHeaderFails() {
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: nil, secret: secret, now: signedAt))
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: "garbage", secret: secret, now: signedAt))
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: "t=abc,v1=00", secret: secret, now: signedAt))
        #expect(!OpenBankingWebhook.verify(rawBody: body, signatureHeader: "t=1795000000", secret: secret, now: signedAt))
    }
}
