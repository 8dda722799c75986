/// The HTML of the sandbox's WebSDK stand-in: plain, accessible pages without scripts or inline
/// styles, so they pass Drop's CSP and work in any browser or test driver.
enum SumsubSandboxPages {
    /// The page that starts the check: who is being verified and the one form that submits it.
    static func verification(applicantName: String?, accessToken: String, returnURL: String?) -> String {
        let who = applicantName.map { "<p>Applicant: <strong>\(escape($0))</strong></p>" }
            ?? "<p>Applicant: <strong>unnamed</strong></p>"
        let returnField = returnURL.map { "\n<input type=\"hidden\" name=\"returnUrl\" value=\"\(escape($0))\">" } ?? ""
        return layout(title: "Verify your identity", body: """
        \(who)
        <p>At Sumsub you would now photograph an identity document and take a selfie. In this sandbox \
        the review outcome follows the sandbox person with this name and birth date; anyone else is approved.</p>
        <form method="post">
        <input type="hidden" name="accessToken" value="\(escape(accessToken))">\(returnField)
        <button type="submit" name="decision" value="submit">Submit for review</button>
        </form>
        """)
    }

    /// After a submit without a return address, or when the check needs nothing more.
    static func status(title: String, message: String, returnURL: String?) -> String {
        let back = returnURL.map { "\n<p><a href=\"\(escape($0))\">Continue</a></p>" } ?? ""
        return layout(title: title, body: "<p>\(escape(message))</p>\(back)")
    }

    static func error(title: String, message: String) -> String {
        layout(title: title, body: "<p role=\"alert\">\(escape(message))</p>")
    }

    private static func layout(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) – Sumsub sandbox</title>
        </head>
        <body>
        <main>
        <h1>\(escape(title))</h1>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// Text and attribute values: the five characters HTML gives meaning to.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
