import DropHTML
import Foundation
import Hummingbird

/// `GET {mount}`: the inbox as a page (newest first, links in the text clickable);
/// `GET {mount}/messages`: the same as JSON, for tests and scripts.
extension MailSandbox {
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: Self.page(self.messages.reversed()).description)))
        }
        group.get("messages") { _, _ -> Response in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let body = try encoder.encode(["items": self.messages.reversed()])
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func page(_ messages: [ReceivedMail]) -> HTML {
        let items = messages.map { mail -> HTML in
            """
            <article>
            <h2>\(mail.subject.isEmpty ? "(no subject)" : mail.subject)</h2>
            <p>To <strong>\(mail.rcptTo.joined(separator: ", "))</strong> · from \(mail.from) · \(ISO8601DateFormatter().string(from: mail.receivedAt))</p>
            <pre>\(linked(mail.text ?? "(no plain-text part)"))</pre>
            </article>
            """
        }
        return """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Mail sandbox</title></head>
        <body>
        <main>
        <h1>Mail sandbox</h1>
        <p>Everything Drop emailed in development, newest first (the last \(MailSandbox.capacity) are kept, until the server stops).</p>
        \(items.isEmpty ? "<p>Nothing yet. Add an email address on your profile to get its confirmation link.</p>" : HTML(trustedMarkup: items.map(\.description).joined(separator: "\n")))
        </main>
        </body>
        </html>
        """
    }

    /// The text with each http(s) address made a link; everything else escaped.
    static func linked(_ text: String) -> HTML {
        var out = ""
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if index > 0 { out += "\n" }
            out += line.components(separatedBy: " ").map { word -> String in
                word.hasPrefix("http://") || word.hasPrefix("https://")
                    ? (#"<a href="\#(HTML.escape(word))">\#(HTML.escape(word))</a>"#) : HTML.escape(word)
            }.joined(separator: " ")
        }
        return HTML(trustedMarkup: out)
    }
}
