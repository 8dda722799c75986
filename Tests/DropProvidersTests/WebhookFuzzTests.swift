@testable import DropProviders
import DropFuzzChecks
import Foundation
import Testing

/// Webhook bodies and signature headers from the outside: the corpus in
/// `Tests/Fuzz/Corpus/{sumsub-webhook,openbanking-signature}/`, then seeded mutations of it
/// (`DROP_FUZZ_RUNS=2000000 scripts/fuzz` for the long run; fuzz/README.md).
@Suite("Fuzz corpus: webhooks")
struct WebhookFuzzTests {
    static let sumsubSecret = "fuzz-sumsub-secret"
    static let bankSecret = "fuzz-openbanking-secret"
    static let bankBody = Array(#"{"eventId":"evt-1","paymentId":"pay-1","transactionStatus":"ACSC"}"#.utf8)
    static let bankNow = Date(timeIntervalSince1970: 1_764_676_800)

    /// An authentic Sumsub body either reads or is a typed `.malformed`; what reads has an applicant
    /// id, a stable deduplication key, and a timestamp only when `createdAtMs` is in Sumsub's format.
    static func checkSumsub(_ body: [UInt8]) throws(FuzzFailure) {
        let name = "sumsub-webhook"
        let digest = SumsubWebhook.digest(rawBody: body, secret: sumsubSecret)
        let headers = SumsubWebhookHeaders(digest: digest, algorithm: nil)
        try FuzzFailure.require(!SumsubWebhook.verify(rawBody: body, headers: headers, secret: sumsubSecret + "x"), name, "wrong secret verified")
        let event: SumsubWebhookEvent
        do {
            event = try SumsubWebhook.verifiedEvent(rawBody: body, headers: headers, secret: sumsubSecret)
        } catch SumsubWebhookError.badSignature {
            throw FuzzFailure(name, "own digest refused")
        } catch {
            return  // a typed .malformed: fine
        }
        try FuzzFailure.require(event.deduplicationKey.hasPrefix(event.type.rawValue + "|" + event.applicantId + "|"), name, "deduplication key")
        if let date = event.createdAt {
            try FuzzFailure.require(date.timeIntervalSince1970.isFinite, name, "timestamp \(date)")
        }
    }

    /// The bank's `X-Drop-Signature` header: verification never crashes, and passes only when the
    /// header carries the MAC of this body for a timestamp within five minutes.
    static func checkBankSignature(_ header: [UInt8]) throws(FuzzFailure) {
        let name = "openbanking-signature"
        let value = fuzzText(header)
        guard OpenBankingWebhook.verify(rawBody: bankBody, signatureHeader: value, secret: bankSecret, now: bankNow) else { return }
        let timestamps = value.split(separator: ",").compactMap { part -> String? in
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return pair.count == 2 && pair[0] == "t" ? pair[1] : nil
        }
        let genuine = timestamps.contains { t in
            guard let seconds = Int(t) else { return false }
            let expected = OpenBankingWebhook.sign(rawBody: bankBody, secret: bankSecret, timestamp: Date(timeIntervalSince1970: Double(seconds)))
            return String(t) == String(seconds) && value.lowercased().contains(String(expected.split(separator: "=").last ?? ""))
        }
        try FuzzFailure.require(genuine, name, "verified a header without the body's MAC: \(value.debugDescription)")
    }

    @Test func sumsubCorpus() throws {
        for input in try FuzzCorpus.inputs("sumsub-webhook") {
            #expect(throws: Never.self, "sumsub-webhook/\(input.name)") { try Self.checkSumsub(input.bytes) }
        }
    }

    @Test func bankSignatureCorpus() throws {
        let inputs = try FuzzCorpus.inputs("openbanking-signature")
        for input in inputs {
            #expect(throws: Never.self, "openbanking-signature/\(input.name)") { try Self.checkBankSignature(input.bytes) }
        }
        // The seed that is the genuine header must verify, or the property above checks nothing.
        let valid = try #require(inputs.first { $0.name == "valid" })
        #expect(OpenBankingWebhook.verify(rawBody: Self.bankBody, signatureHeader: fuzzText(valid.bytes), secret: Self.bankSecret, now: Self.bankNow))
    }

    @Test func sumsubMutations() throws {
        var fuzzer = MutationFuzzer(seeds: try FuzzCorpus.inputs("sumsub-webhook").map(\.bytes),
                                    dictionary: ["\"type\":", "\"applicantId\":", "\"reviewResult\":", "\"reviewAnswer\":\"RED\"", "null", "true",
                                                 "\"createdAtMs\":\"", "\\u0000", "\\ud800", "[", "]", "{", "}", "1e999", "-0"])
        print("fuzz sumsub-webhook: \(try fuzzer.run(runs: FuzzCorpus.runs) { try Self.checkSumsub($0) })")
    }

    @Test func bankSignatureMutations() throws {
        var fuzzer = MutationFuzzer(seeds: try FuzzCorpus.inputs("openbanking-signature").map(\.bytes),
                                    dictionary: ["t=", "v1=", ",", "=", " ", "+", "-", "9223372036854775807", "1764676800"])
        print("fuzz openbanking-signature: \(try fuzzer.run(runs: FuzzCorpus.runs) { try Self.checkBankSignature($0) })")
    }
}
