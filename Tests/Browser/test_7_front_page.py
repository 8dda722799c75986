"""A visitor prices a transfer on the front page before signing in, and finds the way in (issue 16, item 1)."""


def test_visitor_prices_a_transfer_before_signing_in(browser):
    visitor = browser()
    visitor.go("/")
    visitor.step("front-page")
    assert "Finanstilsynet" in visitor.text("main"), "the trust facts say who supervises Drop"
    visitor.fill("#amount", "2 500")
    visitor.choose("#corridor", value="DE-EUR")
    visitor.submit("form[action='/price#price']")
    assert visitor.path.startswith("/price"), visitor.path
    visitor.step("front-page-price")
    price = visitor.text("#price").replace("\u00a0", " ")
    # 0.5 % of 2 500 kr, what leaves the account, and the euros the recipient gets.
    assert "12,50" in price and "2 512,50" in price and "EUR" in price, price
    assert visitor.find("#amount").get_attribute("value") == "2 500", "what was typed is kept"
    visitor.fill("#amount", "50")
    visitor.submit("form[action='/price#price']")
    visitor.step("front-page-price-too-low")
    assert "for lavt" in visitor.text("#error-summary"), visitor.text("main")
    assert visitor.has("a.button.primary[href='/login']"), "the way in is on the page"


def test_terms_and_privacy_are_readable_before_accepting(browser):
    visitor = browser()
    visitor.go("/")
    visitor.click_and_wait(visitor.find("main a[href='/terms']"))
    visitor.step("terms")
    assert "Brukervilkår" in visitor.text("h1") and "Finanstilsynet" in visitor.text("main")
    visitor.go("/privacy")
    visitor.step("privacy")
    assert "Personvernerklæring" in visitor.text("h1") and "Datatilsynet" in visitor.text("main")
