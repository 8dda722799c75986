import Foundation
@testable import DropProviders
import Testing

/// Verifying and reading Sumsub webhooks, with digests computed independently (Python's hmac).
@Suite("Sumsub webhooks")
struct SumsubWebhookTests {
    static let secret = "webhook-secret"
    static let body = Array(#"{"applicantId":"5cb56e8e0a975a35f333cb83","type":"applicantReviewed","reviewStatus":"completed","reviewResult":{"reviewAnswer":"GREEN"},"createdAtMs":"2020-02-21 13:23:19.321"}"#.utf8)
    static let sha1 = "a65fe30f7e72ca8f7d2eb07788a423186406dc29"
    static let sha256 = "0dc24a2cfc1ee6bd816f68e64ebff645dfcf2bb4e2bbb60c26caf4f5a73da48e"
    static let sha512 = "7ca2c79bda66ab38a5bdeded010b6e1340294bc6882914ee6aa9c345450373c82c11727adadc77b92a6bc2b27716af3a5bf6afede1c3020bec98e93bb852178e"

    @Test("valid digests for each algorithm Sumsub uses", arguments: [
        ("HMAC_SHA1_HEX", sha1), ("HMAC_SHA256_HEX", sha256), ("HMAC_SHA512_HEX", sha512),
    ])
    func validDigests(algorithm: String, digest: String) {
        #expect(SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: digest, algorithm: algorithm), secret: Self.secret))
        #expect(SumsubWebhook.verify(rawBody: Data(Self.body), headers: .init(digest: digest.uppercased(), algorithm: algorithm), secret: Self.secret))
        let named = SumsubDigestAlgorithm(rawValue: algorithm) ?? .hmacSHA256
        #expect(SumsubWebhook.digest(rawBody: Self.body, secret: Self.secret, algorithm: named) == digest)
    }

    @Test("no algorithm header means HMAC-SHA256")
    func defaultAlgorithm() {
        #expect(SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: Self.sha256, algorithm: nil), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: Self.sha1, algorithm: nil), secret: Self.secret))
    }

    @Test("refused: unknown algorithm, wrong secret, changed body, missing or garbled digest, empty secret")
    func refusals() {
        let sha256 = SumsubWebhookHeaders(digest: Self.sha256, algorithm: "HMAC_SHA256_HEX")
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: Self.sha256, algorithm: "HMAC_MD5_HEX"), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: sha256, secret: "other-secret"))
        var changed = Self.body
        changed[changed.count - 3] ^= 1
        #expect(!SumsubWebhook.verify(rawBody: changed, headers: sha256, secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body + [0x20], headers: sha256, secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: nil, algorithm: "HMAC_SHA256_HEX"), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: "", algorithm: nil), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: "zz" + Self.sha256.dropFirst(2), algorithm: nil), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: .init(digest: String(Self.sha256.dropLast(2)), algorithm: nil), secret: Self.secret))
        #expect(!SumsubWebhook.verify(rawBody: Self.body, headers: sha256, secret: ""))
    }

    @Test("headers are read through the caller's lookup")
    func headerLookup() {
        let fields = ["X-Payload-Digest": Self.sha512, "X-Payload-Digest-Alg": "HMAC_SHA512_HEX"]
        let headers = SumsubWebhookHeaders { fields[$0] }
        #expect(headers == SumsubWebhookHeaders(digest: Self.sha512, algorithm: "HMAC_SHA512_HEX"))
        #expect(SumsubWebhook.verify(rawBody: Self.body, headers: headers, secret: Self.secret))
    }

    @Test("a forged body is refused before its JSON is read")
    func verifiesBeforeParsing() {
        let notJSON = Array("not json at all".utf8)
        #expect(throws: SumsubWebhookError.badSignature) {
            try SumsubWebhook.verifiedEvent(rawBody: notJSON, headers: .init(digest: Self.sha256, algorithm: nil), secret: Self.secret)
        }
        let signed = SumsubWebhook.digest(rawBody: notJSON, secret: Self.secret)
        #expect(throws: SumsubWebhookError.malformed(reason: "not JSON")) {
            try SumsubWebhook.verifiedEvent(rawBody: notJSON, headers: .init(digest: signed, algorithm: nil), secret: Self.secret)
        }
    }

    @Test("reads an applicantReviewed webhook")
    func readsReviewed() throws {
        let body = Array("""
        {"applicantId":"5cb56e8e0a975a35f333cb83","inspectionId":"5cb56e8e0a975a35f333cb84",
         "correlationId":"req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4","externalUserId":"user-1","levelName":"basic-kyc-level",
         "type":"applicantReviewed","sandboxMode":true,"reviewStatus":"completed","createdAtMs":"2020-02-21 13:23:19.321",
         "applicantType":"individual","clientId":"drop",
         "reviewResult":{"moderationComment":"Forged.","clientComment":"Template.","reviewAnswer":"RED",
                         "rejectLabels":["FORGERY","DOCUMENT_TEMPLATE"],"reviewRejectType":"FINAL"},
         "somethingNew":{"nested":[1,2,3]}}
        """.utf8)
        let event = try SumsubWebhook.verifiedEvent(
            rawBody: body, headers: .init(digest: SumsubWebhook.digest(rawBody: body, secret: Self.secret), algorithm: "HMAC_SHA256_HEX"),
            secret: Self.secret
        )
        #expect(event.type == .applicantReviewed)
        #expect(event.applicantId == "5cb56e8e0a975a35f333cb83")
        #expect(event.inspectionId == "5cb56e8e0a975a35f333cb84")
        #expect(event.correlationId == "req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4")
        #expect(event.externalUserId == "user-1")
        #expect(event.levelName == "basic-kyc-level")
        #expect(event.sandboxMode)
        #expect(event.reviewStatus == .completed)
        #expect(event.applicantType == "individual")
        #expect(event.clientId == "drop")
        #expect(event.reviewResult == SumsubReviewResult(
            reviewAnswer: .red, rejectLabels: ["FORGERY", "DOCUMENT_TEMPLATE"], reviewRejectType: .final,
            moderationComment: "Forged.", clientComment: "Template."
        ))
        #expect(event.reviewResult?.isFinalRejection == true)
        #expect(event.createdAtMs == "2020-02-21 13:23:19.321")
        #expect(event.createdAt == Date(timeIntervalSince1970: 1_582_291_399.321))
        #expect(event.deduplicationKey == "applicantReviewed|5cb56e8e0a975a35f333cb83|req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4|2020-02-21 13:23:19.321")
    }

    @Test("minimal and unknown-type webhooks are read; one without applicantId is malformed")
    func minimalAndMalformed() throws {
        let minimal = try SumsubWebhook.parse(rawBody: Array(#"{"applicantId":"a","type":"applicantLevelChanged"}"#.utf8))
        #expect(minimal.type == SumsubWebhookType(rawValue: "applicantLevelChanged"))
        #expect(!minimal.sandboxMode)
        #expect(minimal.reviewResult == nil)
        #expect(minimal.createdAt == nil)
        let green = try SumsubWebhook.parse(rawBody: Array(#"{"applicantId":"a","type":"applicantReviewed","reviewResult":{"reviewAnswer":"GREEN"}}"#.utf8))
        #expect(green.reviewResult?.rejectLabels == [])
        #expect(green.reviewResult?.isApproved == true)

        #expect(throws: SumsubWebhookError.malformed(reason: "missing applicantId")) {
            try SumsubWebhook.parse(rawBody: Array(#"{"type":"applicantReviewed"}"#.utf8))
        }
        #expect(throws: SumsubWebhookError.malformed(reason: "invalid value at reviewResult.reviewAnswer")) {
            try SumsubWebhook.parse(rawBody: Array(#"{"applicantId":"a","type":"applicantReviewed","reviewResult":{"reviewAnswer":"YELLOW"}}"#.utf8))
        }
    }

    @Test("Sumsub's timestamp texts", arguments: [
        ("2020-02-21 13:23:19.321", 1_582_291_399.321),
        ("2020-02-21 13:23:19", 1_582_291_399),
        ("2020-06-24 05:05:14+0000", 1_592_975_114),
        ("1970-01-01 00:00:00.5", 0.5),
    ])
    func timestamps(text: String, seconds: Double) {
        #expect(SumsubTimestamp.date(from: text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("not Sumsub timestamps", arguments: ["2020-02-21T13:23:19Z", "2020-02-30 00:00:00", "2020-02-21 25:00:00", "2020-02-21 13:23:19+0100", "2020-02-21 13:23:19."])
    func badTimestamps(text: String) {
        #expect(SumsubTimestamp.date(from: text) == nil)
    }
}
