"""The compliance console: Per Politiker's first transfer raises a PEP alert; Anders, the compliance
officer, finds it in the queue, must give a reason to dismiss, escalates it instead, completes the
drafted report and files it with Økokrim's reference. Every screen is recorded and axe-checked."""
from drop_pages import POLAND_RECIPIENT

PER = "11116110182"       # a politically exposed person: approved, with a PEP tag
ANDERS = "04047510142"    # the development admin
BERIT = "12088210261"     # the second development admin: a release takes two officers (ADR 0032)


def test_an_officer_works_an_alert_to_a_filed_report(browser):
    per = browser("per")
    per.sign_in(PER, record=False)
    per.complete_onboarding(phone="+47 913 45 678", national_id=PER)
    per.connect_bank("dnb", national_id=PER)
    per.add_recipient(POLAND_RECIPIENT)
    per.wait_path(r"/recipients\?added=1")
    per.click_and_wait(per.find("main ul.list a.button.primary[href^='/send?recipientId=']"))
    per.fill("#amount", "500")
    per.submit("form[action='/send/quote']")
    per.submit("form[action='/send/confirm']")
    per.wait_path(r"/sandbox/bank")   # the transfer exists, waiting for Per's approval; the alert is raised

    anders = browser("anders")
    anders.sign_in(ANDERS, record=False)
    anders.go("/admin")
    assert anders.path.startswith("/admin/alerts")
    anders.step("alert-queue")
    rows = anders.find_all("#alerts tbody tr")
    pep = [row for row in rows if "pep" in row.text]
    assert pep, [row.text for row in rows]
    anders.click_and_wait(pep[0].find_element("css selector", "a"))
    assert anders.path.startswith("/admin/alerts/")
    alert_path = anders.path
    anders.step("alert")

    # No reason, no dismissal: the error is at the field and in the summary at the top.
    anders.submit(f"form[action='{alert_path}/dismiss']")
    assert "Feil:" in anders.driver.title
    assert "Skriv en begrunnelse." in anders.element_error("dismiss-reason")
    anders.step("dismiss-without-reason")

    anders.fill("#escalate-reason", "Politisk eksponert person, uvanlig første overføring")
    anders.submit(f"form[action='{alert_path}/escalate']")
    anders.wait_path(r"/admin/reports/[0-9a-f-]{36}")
    report_path = anders.path
    assert "Utkast" in anders.text("dl.summary")
    anders.step("report-draft")

    anders.fill("#action", "Forsterkede kundetiltak; kunden kontaktet")
    anders.submit(f"form[action='{report_path}']")
    assert "Lagret." in anders.text()
    anders.fill("#fiuReference", "OKO-2026-0042")
    anders.submit(f"form[action='{report_path}/file']")
    assert "referanse OKO-2026-0042" in anders.text(), anders.text()
    assert not anders.has(f"form[action='{report_path}/file']"), "a filed report can't be filed again"
    assert anders.has(f"a[href$='/goaml.xml']")
    anders.step("report-filed")

    # The alert now says it was escalated and links to the report.
    anders.go(alert_path)
    assert anders.has(f"a[href='{report_path}']")
    assert not anders.has(f"form[action='{alert_path}/dismiss']")

    # The audit log shows who did what to the report, and when; the officer's id leads to all they did.
    report_id = report_path.rsplit("/", 1)[1]
    anders.go("/admin/audit")
    anders.fill("#audit-entityId", report_id)
    anders.submit("form[action='/admin/audit']")
    assert "entityId=" + report_id in anders.driver.current_url
    actions = [cell.text for cell in anders.find_all("#audit-entries tbody tr td:nth-child(3)")]
    assert "str_report.filed" in actions and "str_report.drafted" in actions, actions
    assert "Kjeden er hel" in anders.text("#audit-result")
    anders.step("audit-log")
    anders.click_and_wait(anders.find("#audit-entries tbody tr td:nth-child(2) a"))
    assert "actor=" in anders.driver.current_url and anders.find_all("#audit-entries tbody tr")


DINA = "52069210031"      # approved, a D-number, one bank; in no other browser test
KENYA_RECIPIENT = {
    "name": "Wanjiru Kamau",
    "accountNumber": "0123456789012",
    "bic": "KCBLKENX",
    "bankName": "KCB Bank Kenya",
    "address.street": "Moi Avenue 1",
    "address.city": "Nairobi",
}


def test_an_officer_releases_a_held_transfer_to_the_customers_bank(browser):
    """Dina's first transfer, 12 000 NOK to a new recipient in Kenya, is held for review before her bank is
    asked; Anders finds it among the held transfers, releases it with a reason, and Dina can then approve it."""
    dina = browser("dina")
    dina.sign_in(DINA, record=False)
    dina.complete_onboarding(phone="+47 914 56 789", national_id=DINA)
    dina.connect_bank("dnb", national_id=DINA)
    dina.add_recipient(KENYA_RECIPIENT, corridor="KE-KES")
    dina.wait_path(r"/recipients\?added=1")
    dina.click_and_wait(dina.find("main ul.list a.button.primary[href^='/send?recipientId=']"))
    dina.fill("#amount", "12000")
    dina.submit("form[action='/send/quote']")
    dina.submit("form[action='/send/confirm']")
    path = dina.wait_path(r"/transactions/[0-9a-f-]{36}")
    transaction = path.rsplit("/", 1)[1]
    assert dina.has("#tx-status .status-held"), dina.text("#tx-status")
    dina.step("transfer-held")

    anders = browser("anders")
    anders.sign_in(ANDERS, record=False)
    anders.go("/admin/held")
    anders.step("held-queue")
    anders.click_and_wait(anders.find(f"#held a[href='/admin/held/{transaction}']"))
    anders.step("held-transfer")
    anders.fill("#propose-reason", "Kjent familiemottaker, formålet bekreftet")
    anders.submit(f"form[action='/admin/held/{transaction}/propose-release']")
    assert anders.path == f"/admin/held/{transaction}", anders.path
    assert anders.has("#waiting"), "the proposer waits for a second officer"
    assert not anders.has(f"form[action='/admin/held/{transaction}/release']"), "the proposer can't approve"
    anders.step("held-release-proposed")

    berit = browser("berit")
    berit.sign_in(BERIT, record=False)
    berit.go(f"/admin/held/{transaction}")
    assert "Kjent familiemottaker" in berit.text("#proposal-details"), "the second officer sees why"
    assert berit.has("#transfer-alerts-list li"), "the second officer sees the transfer's alerts, dismissed ones too"
    berit.step("held-release-to-approve")
    berit.submit(f"form[action='/admin/held/{transaction}/release']")
    assert berit.path == "/admin/held?released=1", berit.path
    assert not berit.has(f"#held a[href='/admin/held/{transaction}']"), "a released transfer leaves the queue"
    berit.step("held-released")

    # Released to her bank: Dina's transfer now waits for her approval there.
    dina.go(f"/transactions/{transaction}")
    assert dina.has("#tx-status .status-pending_sca"), dina.text("#tx-status")
    dina.step("transfer-released")
