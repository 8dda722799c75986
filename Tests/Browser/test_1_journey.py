"""Kari's first transfer, through the UI only: BankID sign-in, onboarding with the identity check,
a bank, a recipient in Poland, send → review → bank approval → the transfer completes."""
import re
import time

from conftest import remember_kari
from drop_pages import KARI, POLAND_RECIPIENT

# Payout jobs run every 30 s and the payout sandbox settles 30 s after a file arrives.
COMPLETION_TIMEOUT = 180


def test_kari_sends_money_to_poland(browser):
    kari = browser()
    assert kari.sign_in(KARI).startswith("/onboarding"), "a new user starts with onboarding"
    remember_kari(kari)
    kari.step("onboarding-start")
    kari.complete_onboarding(phone="+47 912 34 567")

    kari.go("/dashboard")
    kari.step("dashboard-before-bank")
    kari.connect_bank()
    assert kari.find_all("ul.accounts li.account"), "the linked bank's accounts are listed"

    kari.go("/dashboard")
    kari.step("dashboard-with-balance")
    assert kari.has("main .balance")

    kari.add_recipient(POLAND_RECIPIENT)
    kari.wait_path(r"/recipients\?added=1")
    kari.step("recipient-added")
    assert POLAND_RECIPIENT["name"] in kari.text("main ul.list")

    # The recipient's own "send" button pre-selects them.
    kari.click_and_wait(kari.find("main ul.list a.button.primary[href^='/send?recipientId=']"))
    kari.step("send-form")
    assert kari.find("#recipientId").get_attribute("value"), "the recipient is chosen"
    kari.fill("#amount", "1500")
    kari.fill("#message", "Til mamma")
    kari.submit("form[action='/send/quote']")
    kari.step("send-review")
    review = kari.text("dl.summary")
    assert "1 500" in review and "PLN" in review, review
    rows = {dt.text: dd.text for dt, dd in zip(kari.find_all("dl.summary dt"), kari.find_all("dl.summary dd"))}
    assert any("Gebyr" in k for k in rows), rows      # fee shown
    assert any("Kurs" in k for k in rows), rows       # rate shown
    kari.submit("form[action='/send/confirm']")
    kari.approve_at_bank(KARI, "bank-sca-payment")

    path = kari.wait_path(r"/transactions/[0-9a-f-]{36}")
    transaction = re.match(r"/transactions/([0-9a-f-]{36})", path).group(1)
    kari.step("transfer-status")
    assert kari.has("#tx-status .status"), "the status page shows a status"
    status = kari.find("#tx-status .status").get_attribute("class")
    assert "status-pending_sca" not in status and "status-failed" not in status, status

    started = time.monotonic()
    kari.refresh_until(lambda: kari.has("#tx-status .status-completed"), COMPLETION_TIMEOUT, every=1,
                       what="the transfer to complete")
    print(f"transfer {transaction} completed {time.monotonic() - started:.0f}s after approval")
    kari.step("transfer-completed")
    assert kari.find_all("ol.timeline li"), "the history lists the status changes"

    # The receipt, from the transfer's page: translated, complete, with its PDF and the way back.
    kari.click_and_wait(kari.find(f"a[href='/v1/transactions/{transaction}/receipt']"))
    kari.step("receipt")
    receipt = kari.text("main").replace("\u00a0", " ")
    assert "Kvittering" in receipt and "Fullført" in receipt and POLAND_RECIPIENT["name"] in receipt, receipt
    assert kari.has(f"a[href='/v1/transactions/{transaction}/receipt?format=pdf']")
    kari.click_and_wait(kari.find(f"main a[href='/transactions/{transaction}']"))

    kari.go("/transactions")
    kari.step("transactions")
    assert kari.has(f"a[href='/transactions/{transaction}']")
    kari.go("/notifications")
    kari.step("notifications")
