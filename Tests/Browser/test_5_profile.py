"""Profile, complaints and Scan/Pay: the forms keep what was typed, say what to fix next to the field,
and every screen passes axe."""
import time

from drop_pages import KARI


def test_profile_details_and_a_data_request(kari):
    b = kari
    b.go("/profile")
    assert "Profil" in b.text("h1")
    assert b.has("form[action='/profile/data/export'] button"), "the data export is one click away"
    b.step("profile")

    # One form per page: the error is on the screen the person just used, with the way back.
    b.click_and_wait(b.find("a[href='/profile/details']"))
    assert b.has("a[href='/profile']")
    b.fill("#email", "kari@")
    b.submit("form[action='/profile/details']")
    assert "e-post" in b.element_error("email").lower() or b.element_error("email")
    assert b.find("#email").get_attribute("value") == "kari@", "what was typed is kept"
    b.step("profile-email-error")

    b.fill("#email", "kari@example.no")
    b.submit("form[action='/profile/details']")
    # A new address needs a BankID sign-in from the last few minutes: an older session signs in again
    # and comes back to the form to make the change.
    if b.step_up_if_asked(KARI):
        b.wait_path(r"/profile/details")
        b.fill("#email", "kari@example.no")
        b.submit("form[action='/profile/details']")
    assert b.path == "/profile/details?saved=details"
    assert "lagret" in b.text("p.notice")
    assert "ikke bekreftet" in b.text("main"), "a new address is unconfirmed until its link is opened"

    # The confirmation email arrives at the development mail server (`/sandbox/mail`, fed over SMTP by
    # the worker); its link confirms the address.
    link = None
    for _ in range(40):
        b.go("/sandbox/mail")
        links = [a for a in b.driver.find_elements("css selector", "a[href*='/email/confirm?token=']")]
        if links:
            link = links[0]
            break
        time.sleep(0.5)
    assert link is not None, "the confirmation email never arrived at the mail sandbox"
    assert "Bekreft e-postadressen din i Drop" in b.text("main")
    b.click_and_wait(link)
    assert "E-postadressen er bekreftet" in b.text("h1")
    b.step("email-confirmed")
    b.go("/profile/details")
    assert "kari@example.no er bekreftet." in b.text("main")

    b.go("/profile/data")

    b.choose("#kind", value="rectification")
    b.fill("#details", "")
    b.submit("form[action='/profile/data-requests']")
    assert b.element_error("details")
    b.fill("#details", "Adressen min er feil.")
    b.submit("form[action='/profile/data-requests']")
    assert b.path == "/profile/data?saved=request"
    assert "svar innen" in b.text("main")
    b.step("profile-request-sent")


def test_a_complaint_is_filed_with_its_due_date(kari):
    b = kari
    b.go("/complaints")
    b.step("complaints")
    b.fill("#subject", "")
    b.fill("#description", "Kort")
    b.submit("form[action='/complaints']")
    assert b.element_error("subject") and b.element_error("description")
    assert b.find("#description").get_attribute("value") == "Kort"
    b.step("complaints-errors")
    b.fill("#subject", "Gebyret")
    b.fill("#description", "Gebyret var høyere enn det som ble vist.")
    b.submit("form[action='/complaints']")
    assert b.path == "/complaints?filed=1"
    assert "svar innen" in b.text("main") and "Gebyret var høyere" in b.text("main")
    b.step("complaints-filed")


def test_scan_pay_refuses_links_that_are_not_drops(kari):
    b = kari
    b.go("/scan")
    assert "Skann" in b.text("h1")
    b.step("scan")
    b.fill("#link", "https://evil.example/pay/ABC123")
    b.submit("#scan-form")
    assert b.element_error("link")
    assert b.find("#link").get_attribute("value") == "https://evil.example/pay/ABC123"
    b.step("scan-foreign-link")
