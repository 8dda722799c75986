import DropHTML
import Foundation
import Hummingbird

/// `GET /openapi.json` (the contract, OpenAPI 3.1) and `GET /docs` (a readable page of it,
/// rendered on the server: no CDN, no script).
struct DocsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.data)))
        }
        let page = Self.renderDocs(OpenAPIDocument.operations())
        router.get("/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: page.description)))
        }
    }

    static func renderDocs(_ operations: [OpenAPIDocument.Operation]) -> HTML {
        var html: HTML = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Drop API</title></head><body><main>
        <h1>Drop API</h1><p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
        JSON in and out; money as <code>{"amountMinor": 12345, "currency": "NOK"}</code>; errors as
        <code>{"error":{"code","message","details"}}</code>.</p>
        """
        var currentTag = ""
        for operation in operations {
            if operation.tag != currentTag {
                if !currentTag.isEmpty { html += "</dl>" }
                currentTag = operation.tag
                html += "<h2>\(currentTag)</h2><dl>"
            }
            html += "<dt><code>\(operation.method) \(operation.path)</code></dt><dd>\(operation.summary)</dd>"
        }
        if !currentTag.isEmpty { html += "</dl>" }
        return html + "</main></body></html>"
    }
}
