import DropAPI
import DropHTML
import DropStore

/// `/onboarding`: phone number, terms and privacy, then the identity check — one step at a time,
/// each a plain form that works without JavaScript and keeps what was typed when it is wrong.
enum OnboardingPage {
    struct State {
        var user: UserRecord
        var consents: [ConsentView]
        var phoneInput: String?
        var phoneError: String?
        var consentError: String?
        var kycError: String?
        /// The header and tab bar (signed in).
        var navigation: Layout.Navigation?
    }

    static func render(_ strings: Strings, _ state: State) -> HTML {
        let hasPhone = state.user.phone != nil
        let consentsDone = state.consents.filter(\.required).allSatisfy(\.granted)
        let phoneValue = state.phoneInput ?? state.user.phone ?? ""
        let phoneInvalid = state.phoneError != nil
        let phoneStep: HTML = """
        <section class="card step" aria-labelledby="step-phone">
        <h2 id="step-phone">1. \(strings["onboarding.phone.title"]) \(hasPhone && !phoneInvalid ? "✓" : "")</h2>
        <form method="post" action="/onboarding/phone" novalidate>
        <label for="phone">\(strings["onboarding.phone.label"])</label>
        <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" value="\(phoneValue)"\(phoneInvalid ? #" aria-invalid="true" aria-describedby="phone-error""# : "")>
        \(state.phoneError.map { text -> HTML in #"<p class="field-error" id="phone-error" role="alert">\#(text)</p>"# })
        <button class="button" type="submit">\(strings["onboarding.save"])</button>
        </form>
        </section>
        """
        let boxes = state.consents.map { consent -> HTML in
            """
            <div class="check"><input type="checkbox" id="consent-\(consent.type)" name="\(consent.type)" value="\(consent.currentVersion)"\(consent.granted ? " checked" : "")>
            <label for="consent-\(consent.type)">\(strings["onboarding.consent.\(consent.type)"])\(consent.required ? "" : " (\(strings["onboarding.optional"]))")</label>\(Self.readLink(consent.type, strings))</div>
            """
        }.joined(separator: "\n")
        let consentStep: HTML = """
        <section class="card step" aria-labelledby="step-consents">
        <h2 id="step-consents">2. \(strings["onboarding.consents.title"]) \(consentsDone ? "✓" : "")</h2>
        <form method="post" action="/onboarding/consents">
        <fieldset><legend>\(strings["onboarding.consents.legend"])</legend>
        \(boxes)
        </fieldset>
        \(state.consentError.map { text -> HTML in #"<p class="field-error" role="alert">\#(text)</p>"# })
        <button class="button" type="submit">\(strings["onboarding.save"])</button>
        </form>
        </section>
        """
        let kycStep: HTML = """
        <section class="card step" aria-labelledby="step-kyc">
        <h2 id="step-kyc">3. \(strings["onboarding.kyc.title"])</h2>
        <p>\(strings["dashboard.kyc.\(state.user.kycStatus.rawValue)"])</p>
        \(state.kycError.map { text -> HTML in #"<p class="field-error" role="alert">\#(text)</p>"# })
        \([.none, .pending, .retry].contains(state.user.kycStatus) && hasPhone && consentsDone ? """
        <form method="post" action="/onboarding/kyc"><button class="button primary" type="submit">\(strings["onboarding.kyc.start"])</button></form>
        """ : "")
        </section>
        """
        var errors: [String: String] = [:]
        errors["phone"] = state.phoneError
        errors["step-consents"] = state.consentError
        errors["step-kyc"] = state.kycError
        return Layout.page(title: strings["onboarding.title"], strings: strings, navigation: state.navigation, main: """
        <h1>\(strings["onboarding.title"])</h1>
        \(phoneStep)
        \(consentStep)
        \(kycStep)
        \(state.user.kycStatus == .approved && hasPhone && consentsDone
            ? #"<p><a class="button primary" href="/dashboard">\#(strings["onboarding.done"])</a></p>"#
            : #"<p><a href="/dashboard">\#(strings["onboarding.later"])</a></p>"#)
        """, errors: errors)
    }

    /// The document a consent is for, beside its checkbox (terms and privacy have one).
    static func readLink(_ type: String, _ strings: Strings) -> HTML {
        guard let document = LegalPages.Document(rawValue: type) else { return "" }
        let label = strings["legal.read." + document.rawValue]
        return #" <a href="/\#(document.rawValue)">\#(label)</a>"#
    }
}
