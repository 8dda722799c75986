import Crypto
import Foundation
import Hummingbird
import Testing
@testable import DropAPI

/// The hand-written fast paths on every request give the same answers as the general code.
@Suite("Hot paths: same answers as the general code")
struct HotPathTests {
    /// A page's CSRF token is its session's HMAC under the CSRF key, from an HMAC keyed once and
    /// copied for each page: the same token every time, whatever was computed in between.
    @Test func csrfTokensAreTheSessionsHMACEveryTime() {
        let csrf = CSRFProtection(allowedOrigin: { "https://drop.example" }, secrets: ["current-secret", "previous-secret"])
        func expected(_ session: String) -> String {
            Data(HMAC<SHA256>.authenticationCode(for: Data(session.utf8), using: SymmetricKey(data: Data("csrf:current-secret".utf8))))
                .base64URLEncoded()
        }
        let first = csrf.token(for: "s-kari")
        #expect(first == expected("s-kari"))
        #expect(csrf.token(for: "s-ola") == expected("s-ola"))
        #expect(csrf.token(for: "s-kari") == first)
        #expect(csrf.isValid(first, for: "s-kari") && !csrf.isValid(first, for: "s-ola"))
        // A form rendered before a rotation still submits.
        let rotated = CSRFProtection(allowedOrigin: { "https://drop.example" }, secrets: ["newer-secret", "current-secret"])
        #expect(rotated.isValid(first, for: "s-kari") && rotated.token(for: "s-kari") != first)
    }

    /// A cookie is found as Hummingbird's `request.cookies[name]` finds it, whatever else the header holds.
    @Test func cookiesAreReadAsHummingbirdReadsThem() {
        let headers: [[String]] = [
            [], [""], ["drop_token=abc"], ["drop_lang=pl; drop_token=abc.def.ghi"], ["  drop_token=a=b=c ;drop_lang=en"],
            ["drop_token="], ["drop_token"], ["x_drop_token=1; drop_token=2"], ["drop_token=1; drop_token=2"], [";;drop_token=3;"],
            ["drop_token =4; drop_token=5"], ["other=1", "drop_token=6"], ["drop_lang=ar", "drop_lang=so; drop_token=7"],
            ["drop_token=\"quoted\""], ["drop_token=tab\t; drop_lang=\tnb"], ["\tdrop_lang=ur"], ["drøp=1; drop_lang=nb"],
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("drop_tkenlag=; \t\"xø")
        let random = (0..<2_000).map { _ in
            [String((0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })]
        }
        for header in headers + random {
            for name in ["drop_token", "drop_lang", "other", "drop"] {
                #expect(RequestCookie.value(named: name, in: header) == Cookies(from: header)[name]?.value, "\(header) \(name)")
            }
        }
    }

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
        var line: [UInt8] = []
        let text = "a \"quote\", a \\ backslash,\na newline, a \u{1} control, a \u{1f} one, a tab\t and ø, 💸"
        JSONLogHandler.appendQuoted(text, to: &line)
        #expect(try JSONDecoder().decode(String.self, from: Data(line)) == text)
    }

    /// A whole line: one JSON object ending in a newline, keys sorted, the event's metadata winning
    /// over the handler's and both over the fixed keys, nested values as JSON.
    @Test func aLogLineIsOneSortedJSONObject() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000.25)
        let line = JSONLogHandler.line(level: .info, message: "request \"x\"", label: "drop",
                                       metadata: ["request_id": "r-1", "route": "/old", "logger": "overridden"],
                                       extra: ["route": "/v1/me", "status": .stringConvertible(200), "tags": ["a", "b"]], at: date)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        #expect(text == #"{"level":"info","logger":"overridden","msg":"request \"x\"","request_id":"r-1","route":"/v1/me","status":"200","tags":["a","b"],"ts":"2026-09-21T14:13:20.250Z"}"# + "\n")
        #expect(try JSONSerialization.jsonObject(with: Data(line)) is [String: Any])
    }

    @Test func requestDurationsAreWrittenAsPrintfWritesThem() {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Int64] = [0, 1, 4_999, 5_000, 9_999, 10_000, 994_999, 999_999, 1_000_000, 12_345_678, 1_000_000_000, 61_234_567_890]
        let random = (0..<500).map { _ in Int64.random(in: 0...90_000_000_000, using: &generator) }
        for nanoseconds in fixed + random where nanoseconds % 10_000 != 5_000 {
            let expected = String(format: "%.2f", Double(nanoseconds) / 1e6)
            #expect(AccessLog.milliseconds(.nanoseconds(nanoseconds)) == expected, "\(nanoseconds) ns")
        }
    }
}
