import Foundation
import HTTPTypes
import Hummingbird

/// A Berlin Group error answer: `{"tppMessages":[{"category":"ERROR","code":…,"text":…}]}`
/// with the status docs/protocols.md §1 assigns to the code.
struct BankSandboxAPIError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let text: String
    var retryAfterSeconds: Int?

    init(_ status: HTTPResponse.Status, _ code: String, _ text: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.text = text
        self.retryAfterSeconds = retryAfterSeconds
    }

    static func format(_ text: String) -> Self { Self(.badRequest, "FORMAT_ERROR", text) }
    static func consentUnknown() -> Self { Self(.forbidden, "CONSENT_UNKNOWN", "The consent is not known to this bank.") }
    static func resourceUnknown(_ text: String) -> Self { Self(.notFound, "RESOURCE_UNKNOWN", text) }

    var response: Response {
        var headers = HTTPFields()
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return BankSandboxJSON.response(status, [
            "tppMessages": [["category": "ERROR", "code": code, "text": text]],
        ], headers: headers)
    }
}
