@testable import DropProviders
import Testing

/// Sumsub's request signature, checked against vectors computed independently (Python's hmac).
@Suite("Sumsub request signing")
struct SumsubRequestSignerTests {
    let signer = SumsubRequestSigner(appToken: "sbx:uY0CgwELmgUAEyl4hNWxLngb", secretKey: "Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq")

    @Test("signs ts + METHOD + path with query, as in Sumsub's example string")
    func exampleString() {
        // docs/protocols.md §2: "1607551635POST/resources/accessTokens?userId=…&levelName=basic-kyc-level&ttlInSecs=600".
        let signature = signer.signature(
            timestamp: 1_607_551_635, method: "POST",
            pathWithQuery: "/resources/accessTokens?userId=cfd20712-24a2-4c7d-9ab0-146f3c142335&levelName=basic-kyc-level&ttlInSecs=600"
        )
        #expect(signature == "1e1856be1c1e1ff113e5664acac6b423ffefe04ad42ff36567622ef56f62c4b1")
    }

    @Test("the body bytes follow the path; the method is upper-cased")
    func withBody() {
        let body = #"{"externalUserId":"user-1","fixedInfo":{"country":"NOR","dob":"1990-03-15","firstName":"Kari","lastName":"Nordmann"}}"#
        let expected = "b06829b5be2c1c9358b307466f2910260d92add8ad2c1d2d208ca5ef6602a3d0"
        for method in ["POST", "post"] {
            let signature = signer.signature(
                timestamp: 1_607_551_635, method: method, pathWithQuery: "/resources/applicants?levelName=basic-kyc-level",
                body: Array(body.utf8)
            )
            #expect(signature == expected)
        }
    }

    @Test("the three headers Sumsub expects")
    func headers() {
        let headers = signer.headers(timestamp: 1_607_551_635, method: "GET", pathWithQuery: "/resources/applicants/abc/one")
        #expect(headers.map(\.name) == ["X-App-Token", "X-App-Access-Ts", "X-App-Access-Sig"])
        #expect(headers[0].value == "sbx:uY0CgwELmgUAEyl4hNWxLngb")
        #expect(headers[1].value == "1607551635")
        let signature = headers[2].value
        #expect(signature.count == 64)
        #expect(signature == signature.lowercased())
        #expect(signature == signer.signature(timestamp: 1_607_551_635, method: "GET", pathWithQuery: "/resources/applicants/abc/one"))
    }

    @Test("a different secret, time, path or body gives a different signature")
    func sensitivity() {
        let base = signer.signature(timestamp: 1, method: "GET", pathWithQuery: "/a?b=c")
        #expect(SumsubRequestSigner(appToken: "t", secretKey: "other").signature(timestamp: 1, method: "GET", pathWithQuery: "/a?b=c") != base)
        #expect(signer.signature(timestamp: 2, method: "GET", pathWithQuery: "/a?b=c") != base)
        #expect(signer.signature(timestamp: 1, method: "GET", pathWithQuery: "/a?b=d") != base)
        #expect(signer.signature(timestamp: 1, method: "GET", pathWithQuery: "/a?b=c", body: [0]) != base)
    }

    @Test("values are percent-encoded down to unreserved characters")
    func percentEncoding() {
        #expect(SumsubPercentEncoding.encode("abc-XYZ_0.9~") == "abc-XYZ_0.9~")
        #expect(SumsubPercentEncoding.encode("a b/c?d=e&f;g+h%") == "a%20b%2Fc%3Fd%3De%26f%3Bg%2Bh%25")
        #expect(SumsubPercentEncoding.encode("æ") == "%C3%A6")
    }

    @Test("the base URL's path prefixes what is signed")
    func basePath() {
        #expect(SumsubClient.path(of: "https://api.sumsub.com") == "")
        #expect(SumsubClient.path(of: "https://api.sumsub.com/") == "")
        #expect(SumsubClient.path(of: "http://127.0.0.1:8080/sandbox/sumsub") == "/sandbox/sumsub")
        #expect(SumsubClient.path(of: "http://127.0.0.1:8080/sandbox/sumsub/") == "/sandbox/sumsub")
    }

    @Test("Sumsub's error body is read; anything else is kept short")
    func errorBody() {
        let error = SumsubError(
            status: 409,
            body: #"{"description":"Applicant with external user id 'u' already exists: 63e0","code":409,"correlationId":"req-1","errorCode":1000}"#
        )
        #expect(error == SumsubError(
            status: 409, code: 409, errorCode: 1000,
            message: "Applicant with external user id 'u' already exists: 63e0", correlationId: "req-1"
        ))
        #expect(error.isConflict)
        #expect(!error.description.contains("'u'"))
        let html = SumsubError(status: 404, body: String(repeating: "<html>", count: 100))
        #expect(html.isNotFound)
        #expect(html.message.count == 200)
        #expect(html.code == nil)
    }
}
