import DropKit
import DropTestTools
import Foundation
import HummingbirdTesting

/// Answers DropKit has no type for (the envelope read strictly, the operational endpoints), each
/// field by its name on the wire, as `ComplianceAPI` reads the admin answers.
enum WireAPI {
    /// The error envelope exactly as docs/api.md gives it: `details` is always sent (an empty list
    /// when there is nothing to add). Stricter than DropKit's `APIError`, which reads an envelope
    /// without `details` as one with none, and any other body as `HTTP_<status>`.
    struct ErrorEnvelope: Decodable, Sendable {
        struct Body: Decodable, Sendable {
            let code: String
            let message: String
            let details: [APIError.Detail]
        }

        let error: Body
    }

    /// `GET /ready`.
    struct Readiness: Decodable, Sendable {
        let status: String
        let database: String
        let schemaVersion: Int
    }

    /// The head of `GET /openapi.json`: which OpenAPI it is.
    struct OpenAPIVersion: Decodable, Sendable {
        let openapi: String
    }
}

extension LiveServer.Reply {
    /// The body as the error envelope; nil when it is not one.
    var envelope: WireAPI.ErrorEnvelope.Body? { try? decode(WireAPI.ErrorEnvelope.self).error }
    /// The names of the body's fields and which are null: for "sent as null" and "never sent",
    /// which a typed decode can't tell apart.
    func fieldNames() throws -> JSONFieldNames { try decode(JSONFieldNames.self) }
}

extension TestResponse {
    /// The body as the error envelope; nil when it is not one.
    var envelope: WireAPI.ErrorEnvelope.Body? { try? decode(WireAPI.ErrorEnvelope.self).error }
    /// The names of the body's fields and which are null (as `LiveServer.Reply.fieldNames`).
    func fieldNames() throws -> JSONFieldNames { try decode(JSONFieldNames.self) }
}
