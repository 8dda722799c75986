import DropHTML

/// `/email/confirm`: what opening the link in the confirmation email did.
enum EmailConfirmPage {
    static func confirmed(_ strings: Strings, signedIn: Bool) -> HTML {
        page(strings, title: strings["email.confirmed.title"], text: strings["email.confirmed.body"], signedIn: signedIn)
    }

    /// `code` is the API's: `LINK_EXPIRED`, `LINK_INVALID` or `EMAIL_CHANGED`.
    static func failed(_ strings: Strings, code: String, signedIn: Bool) -> HTML {
        let key = "email.confirm.error.\(code)"
        return page(strings, title: strings["email.confirm.failed.title"], text: strings[strings.has(key) ? key : "email.confirm.error.LINK_INVALID"],
                    signedIn: signedIn)
    }

    private static func page(_ strings: Strings, title: String, text: String, signedIn: Bool) -> HTML {
        Layout.page(title: title, strings: strings, main: """
        <section class="card">
        <h1>\(title)</h1>
        <p>\(text)</p>
        <p><a class="button primary" href="\(signedIn ? "/profile/details" : "/login?redirect=/profile/details")">\(strings["email.confirm.profile"])</a></p>
        </section>
        """)
    }
}
