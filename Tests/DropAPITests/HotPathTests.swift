import Foundation
import Testing
@testable import DropAPI

/// The hand-written fast paths on every request give the same answers as the general code.
@Suite("Hot paths: same answers as the general code")
struct HotPathTests {
    @Test func datesAreWrittenAsTheFormatStyleWrites() {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, 1, -1, 951_782_400 /* 2000-02-29 */, 1_790_000_000.999, 4_102_444_799, -2_208_988_800]
        let random = (0..<500).map { _ in TimeInterval(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)) + 0.5 }
        for interval in fixed + random {
            let date = Date(timeIntervalSince1970: interval)
            #expect(JSON.rfc3339(date) == JSON.rfc3339Formatted(date))
        }
    }

    @Test func pathsThatLookNormalAreNormal() {
        let paths = ["/", "/v1/me", "/v1/me/", "//v1/me", "/v1/./me", "/v1/../v1/me", "/v1/%6De", "/v1/me?x=1", "/.well-known/x",
                     "/v1/auth/", "/v1/auth", "/a.b/c..d", "/v1//auth", "", "v1/me", "/v1/transactions/abc-123/cancel"]
        for path in paths {
            #expect(NormalisedPath.of(path) == NormalisedPath.normalised(path), "\(path)")
        }
    }

    @Test func logTimestampsKeepTheirFormat() {
        let date = Date(timeIntervalSince1970: 1_790_000_000.25)
        #expect(JSONLogHandler.timestamp(date) == "2026-09-21T14:13:20.250Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_790_000_000)) == "2026-09-21T14:13:20.000Z")
    }

    @Test func logLinesAreJSONWhateverTheText() throws {
        var line = ""
        JSONLogHandler.appendQuoted("a \"quote\", a \\ backslash,\na newline, a \u{1} control and ø", to: &line)
        let decoded = try JSONDecoder().decode(String.self, from: Data(line.utf8))
        #expect(decoded == "a \"quote\", a \\ backslash,\na newline, a \u{1} control and ø")
    }
}
