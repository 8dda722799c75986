"""Languages: bokmål by default, the browser's language when Drop speaks it, any other from the header's
menu, remembered across pages; Arabic and Urdu pages mirror while amounts and numbers stay left to right."""


def lang(b) -> str:
    return b.find("html").get_attribute("lang")


def choose_language(b, code: str) -> None:
    """Opens the header's language menu and picks the language by its own name's link."""
    b.find("header details.lang summary").click()
    b.click_and_wait(b.find(f"header details.lang a[hreflang='{code}']"))


def test_language_switch_is_remembered(kari):
    b = kari
    b.go("/dashboard")
    assert lang(b) == "nb"
    assert b.find("header details.lang summary").text.endswith("Norsk")
    b.step("dashboard-nb")

    choose_language(b, "en")
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

    choose_language(b, "nb")
    assert b.path.startswith("/send")
    assert lang(b) == "nb"
    assert b.find("header details.lang summary").text.endswith("Norsk")
    b.step("send-nb")
    b.go("/transactions")
    assert lang(b) == "nb"


def test_bokmaal_is_the_default_and_browsers_get_their_language(browser):
    norwegian = browser("nb")
    norwegian.go("/")
    assert lang(norwegian) == "nb"
    norwegian.step("home-nb")
    english = browser("en", accept_language="en-GB,en")
    english.go("/login")
    assert lang(english) == "en"
    english.step("login-en")
    choose_language(english, "nb")
    assert lang(english) == "nb", "the cookie wins over the browser's preference"
    english.go("/")
    assert lang(english) == "nb"

    polish = browser("pl", accept_language="pl-PL,pl;q=0.9")
    polish.go("/")
    assert lang(polish) == "pl"
    assert "Wysyłaj pieniądze" in polish.text("body")
    polish.step("home-pl")


def test_arabic_mirrors_and_keeps_numbers_left_to_right(kari):
    b = kari
    b.go("/dashboard")
    choose_language(b, "ar")
    assert lang(b) == "ar"
    assert b.find("html").get_attribute("dir") == "rtl"
    # Mirrored: the brand sits at the right-hand end of the header, the language menu at the left.
    header = b.find("header.top").rect
    brand = b.find("header .brand").rect
    menu = b.find("header details.lang").rect
    assert brand["x"] + brand["width"] > header["x"] + header["width"] * 0.6, f"brand at {brand} in {header}"
    assert menu["x"] < header["x"] + header["width"] * 0.4, f"menu at {menu} in {header}"
    # Nothing hangs off the side (a mirrored page scrolls towards the left), and the page starts in view.
    assert b.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    heading = b.find("main h1").rect
    assert 0 <= heading["x"] and heading["x"] + heading["width"] <= b.driver.execute_script("return window.innerWidth") + 1, heading
    # The balance is isolated: "NOK 1,234.50" reads left to right, not turned around by the Arabic around it.
    balance = b.find("p.balance")
    assert balance.text.startswith("NOK "), balance.text
    assert b.driver.execute_script("return getComputedStyle(arguments[0]).unicodeBidi", balance) == "plaintext"
    b.step("dashboard-ar")

    # The send form: the amount field reads left to right inside a right-to-left page.
    b.go("/send")
    amount = b.find("#amount")
    assert b.driver.execute_script("return getComputedStyle(arguments[0]).direction", amount) == "ltr"
    assert b.driver.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    b.step("send-ar")

    b.go("/profile")
    b.step("profile-ar")
    choose_language(b, "nb")
    assert b.find("html").get_attribute("dir") is None or b.find("html").get_attribute("dir") == ""
