"""Mona's café takes a payment by QR code: she makes a one-purchase code for 249 kr, Kari opens its link,
approves at her bank, and the payment shows on Mona's dashboard."""
import re

from drop_pages import KARI, MONA


def test_kari_pays_monas_qr_code_and_mona_sees_it(browser, kari):
    mona = browser("mona")
    mona.sign_in(MONA)
    mona.go("/merchant")
    assert "Monas Kaffebar" in mona.text("h1")
    assert mona.has("section[aria-labelledby=qr-static] figure.qr svg"), "the shop's QR code is drawn on the page"
    mona.step("merchant-dashboard")

    mona.fill("#amount", "249")
    mona.fill("#reference", "Bord 7")
    mona.submit("section[aria-labelledby=qr-dynamic] form")
    link = mona.find("section[aria-labelledby=qr-dynamic] figure.qr figcaption a").get_attribute("href")
    assert re.search(r"/pay/[A-Z0-9]+\?amount=24900&", link), link
    mona.step("merchant-one-purchase-code")

    kari.go(link)
    assert "Monas Kaffebar" in kari.text("h1")
    assert "249" in kari.text("main")
    kari.step("pay-page")
    kari.submit("main form[action^='/pay/']")
    kari.approve_at_bank(KARI, "bank-sca-qr-payment")
    kari.wait_path(r"/transactions/[0-9a-f-]{36}")
    kari.refresh_until(lambda: kari.has("#tx-status .status-completed"), 90, every=1, what="the QR payment to complete")
    assert "Monas Kaffebar" in kari.text("main")
    kari.step("qr-payment-completed")

    # Mona's page, open all along, adds the completed payment to today's totals by itself (they stayed at 0).
    mona.wait(lambda _driver: mona.text("#today-count") == "1", 30, "today's count to follow the live payment")
    assert "249" in mona.text("#today-total")
    mona.go("/merchant")
    mona.refresh_until(lambda: "Bord 7" in mona.text("#merchant-payments"), 30, every=1, what="the payment on Mona's dashboard")
    assert "249" in mona.text("#merchant-payments") and "Fullført" in mona.text("#merchant-payments")
    mona.step("merchant-paid")
