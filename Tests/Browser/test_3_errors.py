"""One error path per form: the message sits next to its field and what was typed is kept."""
from drop_pages import MIA, OLA, POLAND_RECIPIENT


def test_under_18_sign_in_is_refused(browser):
    mia = browser()
    assert mia.sign_in(MIA).startswith("/login?error=AGE_RESTRICTED")
    mia.step("login-age-error")
    message = mia.find("#login-error")
    assert message.get_attribute("role") == "alert"
    assert "18" in message.text, message.text
    assert mia.find("main a.button.primary").get_attribute("aria-describedby") == "login-error"


def test_onboarding_phone_and_consents_errors(browser):
    ola = browser()
    assert ola.sign_in(OLA).startswith("/onboarding")
    ola.fill("#phone", "12345")
    ola.submit("form[action='/onboarding/phone']")
    ola.step("onboarding-phone-invalid")
    assert "8 sifre" in ola.element_error("phone"), "the phone error is in Norwegian"
    # The list of what to fix is at the top, has the focus, links to the field; the title says there is an error.
    assert ola.driver.switch_to.active_element.get_attribute("id") == "error-summary"
    assert ola.find("#error-summary a").get_attribute("href").endswith("#phone")
    assert ola.driver.title.startswith("Feil:")
    assert ola.find("#phone").get_attribute("value") == "12345", "the typed number is kept"

    # Consents: saving without the two required ones is refused.
    for box in ola.find_all("form[action='/onboarding/consents'] input[type=checkbox]"):
        if box.is_selected():
            box.click()
    ola.submit("form[action='/onboarding/consents']")
    ola.step("onboarding-consents-missing")
    assert ola.has("form[action='/onboarding/consents'] .field-error")
    assert not ola.has("form[action='/onboarding/kyc']"), "no identity check before the consents"


def test_recipient_with_invalid_iban_keeps_what_was_typed(kari):
    typed = dict(POLAND_RECIPIENT, name="Piotr Nowak", iban="PL61 1090 1014 0000 0712 1981 2875")  # check digits wrong
    kari.add_recipient(typed, relationship="friend")
    kari.step("recipient-invalid-iban")
    assert "Kontrollsifrene" in kari.element_error("iban")
    for name, value in typed.items():
        assert kari.find(f"#{name.replace('.', '-')}").get_attribute("value") == value, f"{name} was not kept"
    assert kari.find("#relationship").get_attribute("value") == "friend"
    assert not kari.has("#name[aria-invalid=true]"), "only the wrong field is marked"


def test_send_amount_outside_the_limits(kari):
    kari.go("/send")
    kari.choose("#recipientId", index=1)
    recipient = kari.find("#recipientId").get_attribute("value")
    for amount, word in (("50", "lavt"), ("60000", "høyt")):
        kari.fill("#amount", amount)
        kari.fill("#message", "Husleie")
        kari.submit("form[action='/send/quote']")
        kari.step(f"send-amount-{amount}")
        assert word in kari.element_error("amount")
        assert kari.find("#amount").get_attribute("value") == amount
        assert kari.find("#recipientId").get_attribute("value") == recipient
        assert kari.find("#message").get_attribute("value") == "Husleie"
    kari.fill("#amount", "ti kroner")
    kari.submit("form[action='/send/quote']")
    kari.step("send-amount-not-a-number")
    assert kari.element_error("amount")


def test_bank_connection_cancelled_at_the_bank(kari):
    kari.go("/bank-accounts")
    kari.submit("form[action='/bank-accounts/connect']")
    kari.wait_path(r"/sandbox/bank")
    kari.click_and_wait(kari.find("button[name=decision][value=deny]"))
    kari.wait_path(r"/bank-accounts\?error=")
    kari.step("bank-connection-cancelled")
    notice = kari.find("main .notice.error")
    assert notice.get_attribute("role") == "alert" and notice.text


def test_unknown_page_gets_the_error_page(browser):
    b = browser()
    b.go("/finnes-ikke")
    b.step("not-found")
    assert b.find("html").get_attribute("lang") == "nb"
    assert b.has("main h1")
    assert b.driver.title.strip()
