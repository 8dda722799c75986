import DropHTML

/// The sandbox's sign-in page and error page: plain, accessible HTML without scripts.
///
/// One `<form method="post">`: the hidden inputs carry the authorization request, the text field
/// `nationalId` takes any fødselsnummer or D-number, a button per sandbox person submits that
/// person's number instead (`person`), and "Cancel" answers `access_denied`.
enum BankIDSignInPage {
    static func render(
        request: BankIDAuthorizationRequest, basePath: String, errorMessage: String? = nil, typedNationalId: String = "",
        remembered: SandboxPerson? = nil
    ) -> HTML {
        // A remembered sign-in the client allows reusing (no prompt=login, within max_age).
        let continueBlock = remembered.map { person -> HTML in
            #"      <p><button type="submit" name="action" value="continue" formnovalidate>Continue as \#(person.name)</button></p>"# + "\n"
        }
        let hidden = request.hiddenFields.map { field -> HTML in
            #"      <input type="hidden" name="\#(field.name)" value="\#(field.value)">"#
        }.joined(separator: "\n")
        let errorBlock = errorMessage.map { message -> HTML in
            #"    <p class="error" id="nationalId-error" role="alert">\#(message)</p>"# + "\n"
        }
        let describedBy = errorMessage == nil ? "nationalId-hint" : "nationalId-hint nationalId-error"
        let invalid: HTML = errorMessage == nil ? "" : #" aria-invalid="true""#
        let persons = SandboxPersons.all.map { person -> HTML in
            """
                    <li><button type="submit" name="person" value="\(person.nationalId)" formnovalidate>\
            \(person.name) <span class="id">\(person.nationalId)</span></button> \
            <span class="note">\(person.note)</span></li>
            """
        }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="referrer" content="no-referrer">
          <title>BankID sandbox – sign in</title>
          <link rel="stylesheet" href="\(basePath + BankIDSandbox.Path.stylesheet)">
        </head>
        <body>
          <main>
            <h1>BankID <span class="badge">sandbox</span></h1>
            <p>Sign in to <strong>\(request.client.displayName)</strong>. This is a test identity provider: no real BankID is used.</p>
        \(errorBlock)    <form method="post" action="\(basePath + BankIDSandbox.Path.authorization)">
        \(hidden)
        \(continueBlock)      <label for="nationalId">National identity number (fødselsnummer or D-number)</label>
              <p class="hint" id="nationalId-hint">11 digits. Any valid number works; the persons below have fixed outcomes.</p>
              <input type="text" id="nationalId" name="nationalId" inputmode="numeric" autocomplete="off" \
        pattern="[0-9]{11}" maxlength="11" required aria-describedby="\(describedBy)"\(invalid) value="\(typedNationalId)">
              <div class="actions">
                <button type="submit" name="action" value="sign_in">Sign in</button>
                <button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
              </div>
              <section aria-labelledby="persons-heading">
                <h2 id="persons-heading">Sandbox persons</h2>
                <ul class="persons">
        \(persons)
                </ul>
              </section>
            </form>
          </main>
        </body>
        </html>

        """
    }

    /// Shown instead of redirecting when the client or its redirect URI cannot be trusted.
    static func errorPage(message: String, basePath: String) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>BankID sandbox – error</title>
          <link rel="stylesheet" href="\(basePath + BankIDSandbox.Path.stylesheet)">
        </head>
        <body>
          <main>
            <h1>BankID <span class="badge">sandbox</span></h1>
            <p class="error" role="alert">The sign-in request was refused: \(message)</p>
            <p>Go back to the service you came from and try again.</p>
          </main>
        </body>
        </html>

        """
    }

    static let stylesheet = """
    body { font-family: system-ui, sans-serif; margin: 0; background: #f4f4f6; color: #1b1b1f; }
    main { max-width: 34rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; }
    h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
    .badge { font-size: .8rem; background: #39134c; color: #fff; padding: .1rem .4rem; border-radius: 4px; }
    label { display: block; font-weight: 600; margin-top: 1rem; }
    .hint, .note { color: #55555c; font-size: .9rem; }
    input[type=text] { font-size: 1.2rem; padding: .5rem; width: 100%; box-sizing: border-box; letter-spacing: .1rem; }
    .actions { display: flex; gap: .5rem; margin-top: 1rem; }
    button { font-size: 1rem; padding: .5rem 1rem; cursor: pointer; }
    .secondary { background: none; }
    .error { color: #a4001d; font-weight: 600; }
    .persons { list-style: none; padding: 0; } .persons li { margin: .4rem 0; }
    .persons button { min-width: 15rem; text-align: left; } .id { font-family: monospace; }
    :focus-visible { outline: 3px solid #0b5fff; outline-offset: 2px; }

    """
}
