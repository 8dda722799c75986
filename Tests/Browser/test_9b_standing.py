"""A standing transfer through the UI: from the recipient's card to the form, approved once at the
bank, then paused and stopped after a confirmation; every screen passes axe."""
import datetime
from zoneinfo import ZoneInfo


def test_kari_sets_up_a_monthly_transfer_and_stops_it(kari):
    b = kari
    b.go("/recipients")
    b.click_and_wait(b.find("main ul.list a[href^='/standing?recipientId=']"))
    assert "Faste overføringer" in b.text("h1")
    assert b.find("#recipientId").get_attribute("value"), "the recipient is chosen"
    b.step("standing-form")

    # A day in the past is refused on its field, with what was typed kept.
    b.fill("#amount", "1500")
    b.driver.execute_script("arguments[0].value = '2020-01-01'", b.find("#startDate"))
    b.submit("form[action='/standing']")
    assert "i dag eller innen ett år" in b.element_error("startDate")
    assert b.find("#amount").get_attribute("value") == "1500"
    b.step("standing-form-error")

    # Today as Drop counts days, in Oslo: the machine's own (UTC) date is yesterday there from 23:00.
    today = datetime.datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()
    b.driver.execute_script(f"arguments[0].value = '{today}'", b.find("#startDate"))
    b.submit("form[action='/standing']")
    b.approve_at_bank("15039010043", "bank-sca-standing")
    b.wait_path(r"/standing\?order=")
    assert "godkjent" in b.text("p.notice"), b.text("main")
    card = b.text("main ul.list")
    assert "Aktiv" in card and "Hver måned" in card, card
    b.step("standing-active")

    b.submit("form[action^='/standing/pause']")
    b.wait_path(r"/standing\?done=paused")
    assert "Satt på pause" in b.text("main ul.list")
    b.step("standing-paused")

    b.click_and_wait(b.find("main ul.list a[href^='/standing/stop?id=']"))
    b.step("standing-stop-confirm")
    b.submit("form[action^='/standing/stop']")
    b.wait_path(r"/standing\?done=stopped")
    assert "stoppet" in b.text("p.notice")
