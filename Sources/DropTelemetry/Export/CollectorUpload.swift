import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// One POST of diagnostics (spans, metrics, an error report) to a collector. Diagnostics never
/// cost a request: a refusal or a failure is logged as `what` and dropped, not retried or thrown.
enum CollectorUpload {
    static func post(_ body: Data, to url: String, contentType: String, headers: [(String, String)],
                     what: String, metadata: Logger.Metadata = [:], httpClient: HTTPClient, logger: Logger) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(5))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(response.status.code) {
                logger.warning("\(what) refused", metadata: metadata.merging(["status": "\(response.status.code)"]) { $1 })
            }
        } catch {
            logger.warning("\(what) failed", metadata: metadata.merging(["error_type": "\(type(of: error))"]) { $1 })
        }
    }
}
