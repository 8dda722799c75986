"""The language switch: bokmål by default, English on request, remembered across pages, and back."""


def lang(b) -> str:
    return b.find("html").get_attribute("lang")


def test_language_switch_is_remembered(kari):
    b = kari
    b.go("/dashboard")
    assert lang(b) == "nb"
    assert b.find("header a.lang").text == "English"
    b.step("dashboard-nb")

    b.click_and_wait(b.find("header a.lang"))
    assert b.path.startswith("/dashboard"), f"the switch returns to the same page, not {b.path}"
    assert lang(b) == "en"
    assert "Send money" in b.text("header nav")
    b.step("dashboard-en")

    for path, heading in (("/send", "Send money"), ("/recipients", "Recipients"), ("/transactions", None),
                          ("/bank-accounts", None), ("/login", "Sign in"), ("/", None), ("/finnes-ikke", None)):
        b.go(path)
        assert lang(b) == "en", f"{path} forgot the choice"
        if heading:
            assert heading in b.text("h1"), b.text("h1")
    b.go("/send")
    b.step("send-en")

    b.click_and_wait(b.find("header a.lang"))
    assert b.path.startswith("/send")
    assert lang(b) == "nb"
    assert b.find("header a.lang").text == "English"
    b.step("send-nb")
    b.go("/transactions")
    assert lang(b) == "nb"


def test_bokmaal_is_the_default_and_english_browsers_get_english(browser):
    norwegian = browser("nb")
    norwegian.go("/")
    assert lang(norwegian) == "nb"
    norwegian.step("home-nb")
    english = browser("en", accept_language="en-GB,en")
    english.go("/login")
    assert lang(english) == "en"
    english.step("login-en")
    english.click_and_wait(english.find("header a.lang"))
    assert lang(english) == "nb", "the cookie wins over the browser's preference"
    english.go("/")
    assert lang(english) == "nb"
