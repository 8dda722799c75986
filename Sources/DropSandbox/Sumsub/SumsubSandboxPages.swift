import DropHTML

/// The HTML of the sandbox's WebSDK stand-in: plain, accessible pages without scripts or inline
/// styles, so they pass Drop's CSP and work in any browser or test driver.
enum SumsubSandboxPages {
    /// The page that starts the check: who is being verified and the one form that submits it.
    static func verification(applicantName: String?, accessToken: String, returnURL: String?) -> HTML {
        let who: HTML = applicantName.map { name -> HTML in "<p>Applicant: <strong>\(name)</strong></p>" }
            ?? "<p>Applicant: <strong>unnamed</strong></p>"
        let returnField = returnURL.map { url -> HTML in "\n<input type=\"hidden\" name=\"returnUrl\" value=\"\(url)\">" }
        return layout(title: "Verify your identity", body: """
        \(who)
        <p>At Sumsub you would now photograph an identity document and take a selfie. In this sandbox \
        the review outcome follows the sandbox person with this name and birth date; anyone else is approved.</p>
        <form method="post">
        <input type="hidden" name="accessToken" value="\(accessToken)">\(returnField)
        <button type="submit" name="decision" value="submit">Submit for review</button>
        </form>
        """)
    }

    /// After a submit without a return address, or when the check needs nothing more.
    static func status(title: String, message: String, returnURL: String?) -> HTML {
        let back = returnURL.map { url -> HTML in "\n<p><a href=\"\(HTML.url(url))\">Continue</a></p>" }
        return layout(title: title, body: "<p>\(message)</p>\(back)")
    }

    static func error(title: String, message: String) -> HTML {
        layout(title: title, body: "<p role=\"alert\">\(message)</p>")
    }

    private static func layout(title: String, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) – Sumsub sandbox</title>
        </head>
        <body>
        <main>
        <h1>\(title)</h1>
        \(body)
        </main>
        </body>
        </html>

        """
    }
}
