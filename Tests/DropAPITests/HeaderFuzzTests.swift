@testable import DropAPI
@testable import DropWeb
import DropCore
import DropFuzzChecks
import Foundation
import Testing

/// Paging cursors and `Accept-Language` from the outside: the corpus in
/// `Tests/Fuzz/Corpus/{cursor,accept-language}/`, then seeded mutations of it
/// (`DROP_FUZZ_RUNS=2000000 scripts/fuzz` for the long run; fuzz/README.md).
@Suite("Fuzz corpus: cursors and Accept-Language")
struct HeaderFuzzTests {
    /// A cursor that decodes names a row id without control characters and a time every database
    /// driver can bind, and re-encodes to the same position.
    static func checkCursor(_ bytes: [UInt8]) throws(FuzzFailure) {
        let name = "cursor"
        guard let cursor = try? TimeOrderedCursor(decoding: fuzzText(bytes)) else { return }
        try FuzzFailure.require(AcceptedTimes.contains(cursor.createdAt), name,
                                "time \(cursor.createdAt.timeIntervalSince1970) accepted")
        try FuzzFailure.require(!cursor.id.isEmpty && !cursor.id.containsControlCharacter, name, "id \(cursor.id.debugDescription)")
        let again = try? TimeOrderedCursor(decoding: cursor.encoded)
        try FuzzFailure.require(again?.id == cursor.id && again?.createdAt == cursor.createdAt, name, "does not round-trip")
    }

    /// Any header (and any cookie) yields one of the supported languages, English only when asked for.
    static func checkAcceptLanguage(_ bytes: [UInt8]) throws(FuzzFailure) {
        let name = "accept-language"
        let header = fuzzText(bytes)
        let language = Language.negotiate(cookie: nil, acceptLanguage: header)
        try FuzzFailure.require(Language.allCases.contains(language), name, "unsupported \(language)")
        try FuzzFailure.require(language == .nb || header.lowercased().contains(language.rawValue), name,
                                "\(language) without asking: \(header.debugDescription)")
        try FuzzFailure.require(Language.negotiate(cookie: header, acceptLanguage: "en") == (Language(rawValue: header) ?? .en), name, "cookie \(header.debugDescription)")
    }

    @Test func cursorCorpus() throws {
        for input in try FuzzCorpus.inputs("cursor") {
            #expect(throws: Never.self, "cursor/\(input.name)") { try Self.checkCursor(input.bytes) }
        }
    }

    @Test func acceptLanguageCorpus() throws {
        for input in try FuzzCorpus.inputs("accept-language") {
            #expect(throws: Never.self, "accept-language/\(input.name)") { try Self.checkAcceptLanguage(input.bytes) }
        }
    }

    /// Mutates the decoded cursor text and encodes it again, so the mutations reach the parser behind the base64.
    @Test func cursorMutations() throws {
        let seeds = try FuzzCorpus.inputs("cursor").map { Array(Data(base64URLEncoded: fuzzText($0.bytes)) ?? Data($0.bytes)) }
        var fuzzer = MutationFuzzer(seeds: seeds, dictionary: ["2|", "|", "7ff0000000000000", "fff0000000000000", "7ff8000000000000",
                                                               "41d", "c3e", "-", "9223372036854775807", "\u{0}"])
        print("fuzz cursor: \(try fuzzer.run(runs: FuzzCorpus.runs) { try Self.checkCursor(Array(Data($0).base64URLEncoded().utf8)) })")
    }

    @Test func acceptLanguageMutations() throws {
        var fuzzer = MutationFuzzer(seeds: try FuzzCorpus.inputs("accept-language").map(\.bytes),
                                    dictionary: ["en", "nb", "nn", "no", "EN", ";q=", ",", "*", "-"])
        print("fuzz accept-language: \(try fuzzer.run(runs: FuzzCorpus.runs) { try Self.checkAcceptLanguage($0) })")
    }
}
