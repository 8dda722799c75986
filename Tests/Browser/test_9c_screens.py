"""Every screen in both of Drop's first languages, at phone and desktop width: each recorded (the
screenshots are the CI artefact people look at, gathered in index.html), axe-core clean, drawn in
Drop's own typeface, with the sprite's icons visible. Runs after the journey, so Kari has payments."""
import re

from drop_pages import KARI

PUBLIC = [("front", "/"), ("login", "/login"), ("terms", "/terms"), ("privacy", "/privacy"), ("offline", "/offline"),
          ("not-found", "/finnes-ikke")]
SIGNED_IN = [("dashboard", "/dashboard"), ("send", "/send"), ("recipients", "/recipients"), ("standing", "/standing"),
             ("bank-accounts", "/bank-accounts"), ("history", "/transactions"), ("notifications", "/notifications"),
             ("scan", "/scan"), ("complaints", "/complaints"), ("profile", "/profile"), ("profile-details", "/profile/details"),
             ("profile-language", "/profile/language"), ("profile-limits", "/profile/limits"),
             ("profile-consents", "/profile/consents"), ("profile-data", "/profile/data"), ("merchant", "/merchant")]

# Resolves with the faces the page has loaded once its fonts are settled.
LOADED_FACES = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done([...document.fonts].filter(f => f.status === 'loaded')
  .map(f => f.family.replace(/"/g, '') + ' ' + f.weight)));
"""


def set_language(b, code: str) -> None:
    b.go("/health")
    b.driver.add_cookie({"name": "drop_lang", "value": code, "path": "/"})


def record(b, name: str, code: str) -> None:
    assert b.find("html").get_attribute("lang") == code, f"{b.path} is not in {code}"
    assert not re.search(r"\b[a-z]+\.[a-z]+\.[a-zA-Z.]+\b", b.text("h1")), f"{b.path}: a translation key as its heading"
    faces = b.driver.execute_async_script(LOADED_FACES)
    assert "Inter 400" in faces, f"{b.path} is not set in Inter: {faces}"
    b.step(f"{code}-{name}")


def test_every_screen_in_norwegian_and_english(kari):
    b = kari
    b.go("/transactions")
    if not b.find_all("ul.transactions a"):
        # Run alone, Kari has paid nobody yet: one small transfer, approved at her bank.
        b.go("/send")
        b.choose("#recipientId", index=1)
        b.fill("#amount", "300")
        b.submit("form[action='/send/quote']")
        b.submit("form[action='/send/confirm']")
        b.approve_at_bank(KARI, "bank-sca-payment")
        b.wait_path(r"/transactions/[0-9a-f-]{36}")
        b.go("/transactions")
    links = [a.get_attribute("href") for a in b.find_all("ul.transactions a")]
    assert links, "Kari's payments are listed"
    transaction = links[0][len(b.base):]
    screens = SIGNED_IN + [("transaction", transaction)]
    for code in ("nb", "en"):
        set_language(b, code)
        for name, path in screens:
            b.go(path)
            assert b.path.split("?")[0] == path, f"{path} sent Kari to {b.path}"
            record(b, name, code)
        # The icons are drawn, not empty boxes: the tab bar's at phone width, a status pill's on a payment.
        b.go(transaction)
        width = b.driver.execute_script("return document.querySelector('.status .icon').getBoundingClientRect().width")
        assert width >= 10, f"the status icon is {width} px wide"
    cookie = b.driver.get_cookie("drop_token")
    b.driver.delete_cookie("drop_token")
    try:
        for code in ("nb", "en"):
            set_language(b, code)
            for name, path in PUBLIC:
                b.go(path)
                record(b, name, code)
    finally:
        b.driver.add_cookie({k: v for k, v in cookie.items() if k in ("name", "value", "path", "httpOnly")})


def test_arabic_pages_use_the_arabic_face(kari):
    b = kari
    set_language(b, "ar")
    b.go("/dashboard")
    faces = b.driver.execute_async_script(LOADED_FACES)
    assert any(face.startswith("Noto Sans Arabic 400") for face in faces), f"Arabic text is not in Noto Sans Arabic: {faces}"
    b.step("ar-dashboard")
    set_language(b, "nb")
