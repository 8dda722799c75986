"""Page helpers for Drop's browser tests: a headless Chromium, the sandbox steps every flow shares
(BankID sign-in, onboarding, the bank's approval page) and `step()`, which records a screen at phone
and desktop width and runs axe-core on it.

A new flow is a short test built from these, e.g. the merchant/QR flow:

    mona = browser("merchant-qr")
    mona.sign_in(MONA)            # lands on /onboarding for a new user
    mona.complete_onboarding()
    ...
    kari.go(f"/pay/{code}"); kari.step("pay-page"); ...; kari.approve_at_bank(KARI)
"""
from __future__ import annotations

import base64
import json
import os
import re
from urllib.parse import urlsplit
import time
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

# Sandbox persons (docs/api.md, "Sandbox persons").
KARI = "15039010043"      # approved, two banks with balance
OLA = "01078510133"       # approved, one bank
MIA = "20051250096"       # under 18: sign-in refused
MONA = "30098010021"      # owns a demo merchant

PHONE = (390, 844)
DESKTOP = (1280, 900)
BLOCKING_IMPACTS = ("serious", "critical")

# Text the pages show (nb, the default language), for waiting on asynchronous state.
KYC_APPROVED_NB = "Du er klar til å sende penger."
KYC_APPROVED_EN = "You are ready to send money."


def _replaced(old):
    """Like EC.staleness_of, but Chromium sometimes reports a node of the page being left as "does not
    belong to the document" instead of stale: that means replaced too."""
    def check(_driver) -> bool:
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error) or "No node with given id" in str(error):
                return True
            raise
    return check


def _axe_source() -> str:
    """axe-core as shipped inside the PyPI package axe-core-python (axe.min.js): no CDN at test time.
    AXE_JS may name another copy."""
    explicit = os.environ.get("AXE_JS")
    if explicit:
        return Path(explicit).read_text()
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("axe_core_python")
    return (Path(spec.origin).parent / "axe.min.js").read_text()


AXE_SOURCE = _axe_source()
AXE_VERSION = ["?"]  # the version that ran, for the summary


def new_driver(accept_language: str = "nb-NO,nb") -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--force-color-profile=srgb",
                     f"--lang={accept_language.split(',')[0]}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@dataclass
class Finding:
    test: str
    step: str
    url: str
    rule: str
    impact: str
    help: str
    targets: list = field(default_factory=list)
    width: str = ""
    kind: str = "violation"   # or "incomplete": axe could not decide, a person should look


    @property
    def blocking(self) -> bool:
        return self.kind == "violation" and self.impact in BLOCKING_IMPACTS and not self.url_is_sandbox

    @property
    def url_is_sandbox(self) -> bool:
        return "/sandbox/" in self.url

    def line(self) -> str:
        where = "sandbox page (not Drop's)" if self.url_is_sandbox else "Drop page"
        return f"[{self.impact}{'' if self.kind == 'violation' else ', needs review'}] {self.rule} at {self.test}/{self.step} ({self.width}, {where} {self.url}): {self.help} — {self.targets[:3]}"


class DropBrowser:
    """One browser (one person's session) in one test. Every screen is recorded with `step`."""

    def __init__(self, base_url: str, artifacts: Path, test: str, accept_language: str = "nb-NO,nb"):
        self.base = base_url.rstrip("/")
        self.test = test
        self.dir = artifacts / test
        self.dir.mkdir(parents=True, exist_ok=True)
        self.driver = new_driver(accept_language)
        self.findings: list[Finding] = []
        # Who is signed in, for a step-up BankID sign-in before a sensitive change.
        self.national_id: str | None = None
        self.steps = 0

    # --- navigation and lookup ---------------------------------------------------------------

    def go(self, path: str) -> None:
        self.driver.get(path if path.startswith("http") else self.base + path)

    @property
    def path(self) -> str:
        """The current URL's path and query, on Drop or on a party's site (the bank and Sumsub sandboxes are
        served from another origin, as the real ones are)."""
        url = self.driver.current_url
        if url.startswith(self.base):
            return url[len(self.base):]
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.path.startswith("/sandbox/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return url

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def has(self, css: str) -> bool:
        return bool(self.find_all(css))

    def text(self, css: str = "main") -> str:
        return self.find(css).text

    def wait(self, condition, timeout: float = 15, message: str = ""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(condition, message)

    def wait_path(self, pattern: str, timeout: float = 20) -> str:
        """Waits until the current URL's path (with query) matches `pattern` (a regex, from the start)."""
        try:
            self.wait(lambda _: re.match(pattern, self.path), timeout)
        except TimeoutException as error:
            raise AssertionError(f"expected a page matching {pattern!r}, still at {self.path}") from error
        return self.path

    def fill(self, css: str, value: str) -> None:
        element = self.find(css)
        element.clear()
        element.send_keys(value)

    def choose(self, css: str, *, value: str | None = None, index: int | None = None) -> None:
        select = Select(self.find(css))
        if value is not None:
            select.select_by_value(value)
        else:
            select.select_by_index(index)

    def submit(self, form_css: str) -> None:
        """Clicks the form's submit button (the one a person would press) and waits for the next page."""
        button = self.find(f"{form_css} button[type=submit]")
        self.click_and_wait(button)

    def click_and_wait(self, element) -> None:
        old = self.find("html")
        # As a person would: scrolled to the middle of the screen first, clear of the phone's tab bar.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        self.wait(_replaced(old), 30, "the page did not change")
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", 30)

    def refresh_until(self, predicate, timeout: float, every: float = 3, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what or predicate} at {self.path}")
            time.sleep(every)
            self.driver.refresh()

    # --- recording: screenshots at two widths, axe-core -----------------------------------------

    def step(self, name: str) -> list[Finding]:
        """Records the current screen: full-page screenshots at phone and desktop width and axe-core
        results at each (JSON next to them). Violations are kept; serious/critical ones on Drop's own
        pages fail the test at its end (see conftest)."""
        self.steps += 1
        stem = f"{self.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"
        found: list[Finding] = []
        before = self.driver.get_window_size()
        for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
            self.driver.set_window_size(width, height)
            self.wait(lambda d: d.execute_script("return window.innerWidth") <= width + 16, 5)
            self._screenshot(self.dir / f"{stem}-{label}.png")
            if label == "phone":
                found += self._reflow(stem)
            results = self.axe()
            (self.dir / f"{stem}-{label}.axe.json").write_text(json.dumps(results, indent=1))
            AXE_VERSION[0] = results.get("testEngine", {}).get("version", "?")
            for kind, key in (("violation", "violations"), ("incomplete", "incomplete")):
                for violation in results.get(key, []):
                    found.append(Finding(
                        test=self.test, step=stem, url=results.get("url", self.driver.current_url), rule=violation["id"],
                        impact=violation.get("impact") or "unknown", help=violation.get("help", ""),
                        targets=[node.get("target") for node in violation.get("nodes", [])], width=label, kind=kind))
        # Back to the size the test had chosen (a phone test stays on a phone).
        self.driver.set_window_size(before["width"], before["height"])
        self.wait(lambda d: abs(d.get_window_size()["width"] - before["width"]) <= 16, 5)
        # One finding per rule and target across widths.
        unique = {(f.kind, f.rule, json.dumps(f.targets)): f for f in found}
        self.findings.extend(unique.values())
        return list(unique.values())

    def _reflow(self, stem: str) -> list[Finding]:
        """WCAG 1.4.10: nothing may be wider than a phone screen (no sideways scrolling at 390 px)."""
        wide = self.driver.execute_script("""
            const w = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= w) return [];
            return [...document.querySelectorAll('main *, header *')]
              .filter(el => el.getBoundingClientRect().right > w + 1 && el.children.length === 0)
              .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ': ' + el.textContent.trim().slice(0, 40));
        """)
        if not wide:
            return []
        return [Finding(test=self.test, step=stem, url=self.driver.current_url, rule="reflow-horizontal-scroll", impact="serious",
                        help=f"content wider than a {PHONE[0]} px screen (WCAG 1.4.10 Reflow)", targets=wide, width="phone")]

    def _screenshot(self, path: Path) -> None:
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = self.driver.execute_script("return window.innerWidth")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 8000), "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))

    def axe(self) -> dict:
        self.driver.set_script_timeout(30)
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE_SOURCE)
        results = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
               .then(r => done(JSON.parse(JSON.stringify(r))), e => done({error: String(e)}));
        """)
        if "error" in results or "violations" not in results:
            raise AssertionError(f"axe-core did not run on {self.driver.current_url}: {results.get('error')}")
        return results

    def blocking_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def quit(self) -> None:
        self.driver.quit()

    # --- flows every test shares ---------------------------------------------------------------

    def sign_in(self, national_id: str, record: bool = True) -> str:
        """From /login through the BankID sandbox page; returns where Drop sent the person."""
        self.national_id = national_id
        self.go("/login")
        if record:
            self.step("login")
        self.click_and_wait(self.find("main a.button.primary"))
        self.wait_path(r"/sandbox/bankid/")
        if record:
            self.step("bankid-sandbox")
        self.fill("input[name=nationalId]", national_id)
        self.click_and_wait(self.find("button[name=action][value=sign_in]"))
        return self.wait_path(r"/(onboarding|dashboard|login)")

    def complete_onboarding(self, phone: str = "+47 912 34 567", national_id: str = KARI, timeout: float = 60) -> None:
        """Phone, the two required consents, the identity check at the Sumsub sandbox, then waits
        (refreshing the onboarding page, which shows progress) for the asynchronous verdict."""
        if not self.path.startswith("/onboarding"):
            self.go("/onboarding")
        self.fill("#phone", phone)
        self.submit("form[action='/onboarding/phone']")
        assert not self.has("#phone-error"), self.text("#phone-error")
        self.step("onboarding-phone-saved")
        for consent in ("terms", "privacy"):
            box = self.find(f"#consent-{consent}")
            if not box.is_selected():
                box.click()
        self.submit("form[action='/onboarding/consents']")
        self.step("onboarding-consents-saved")
        self.submit("form[action='/onboarding/kyc']")
        self.wait_path(r"/sandbox/sumsub/")
        self.step("sumsub-sandbox")
        self.click_and_wait(self.find("button[name=decision][value=submit]"))
        self.wait_path(r"/onboarding")
        self.step("onboarding-kyc-submitted")
        self.refresh_until(lambda: KYC_APPROVED_NB in self.text() or KYC_APPROVED_EN in self.text(),
                           timeout, every=0.5, what="the identity check's verdict")
        self.step("onboarding-kyc-approved")

    def step_up_if_asked(self, national_id: str) -> bool:
        """Drop asks for a fresh BankID sign-in before a sensitive change when the session is older
        than a few minutes (a step-up): sign in at the BankID sandbox again, and Drop sends the person
        back to the form. True when it was asked."""
        # The form's answer is Drop's hand-off page, which goes on to BankID by itself (a form's redirect may not).
        if self.path.startswith("/step-up"):
            self.wait_path(r"/sandbox/bankid/")
        if not self.path.startswith("/sandbox/bankid/"):
            return False
        self.step("bankid-step-up")
        self.fill("input[name=nationalId]", national_id)
        self.click_and_wait(self.find("button[name=action][value=sign_in]"))
        return True

    def approve_at_bank(self, national_id: str, step: str = "bank-sca") -> None:
        """The bank sandbox's SCA page: sign in with the national id and approve."""
        self.wait_path(r"/sandbox/bank")
        self.step(step)
        field_ = self.find("input[name=nationalId]")
        if not field_.get_attribute("value"):
            field_.send_keys(national_id)
        self.click_and_wait(self.find("button[name=decision][value=approve]"))

    def connect_bank(self, bank_value: str | None = None, national_id: str = KARI) -> None:
        self.go("/bank-accounts")
        self.step("bank-accounts")
        if bank_value:
            self.choose("#bank", value=bank_value)
        self.submit("form[action='/bank-accounts/connect']")
        self.approve_at_bank(national_id, "bank-sca-ais")
        self.wait_path(r"/bank-accounts\?connected=")
        self.step("bank-connected")

    def add_recipient(self, values: dict[str, str], corridor: str = "PL-PLN", relationship: str = "family") -> None:
        """Fills and sends the form; a new payee needs a recent BankID sign-in, so an older session
        signs in again and fills the form once more."""
        self.go(f"/recipients?corridor={corridor}")
        self.step(f"recipients-{corridor.lower()}")

        def fill_and_send() -> None:
            for name, value in values.items():
                self.fill(f"#{name.replace('.', '-')}", value)
            self.choose("#relationship", value=relationship)
            self.submit("form[action='/recipients'][method=post]")

        fill_and_send()
        if self.national_id and self.step_up_if_asked(self.national_id):
            self.wait_path(r"/recipients")
            fill_and_send()

    def element_error(self, field_id: str) -> str:
        """The error message tied to a field (aria-describedby → its -error paragraph)."""
        element = self.find(f"#{field_id}")
        assert element.get_attribute("aria-invalid") == "true", f"#{field_id} is not marked aria-invalid"
        described = (element.get_attribute("aria-describedby") or "").split()
        assert f"{field_id}-error" in described, f"#{field_id} is not described by its error ({described})"
        try:
            return self.find(f"#{field_id}-error").text
        except NoSuchElementException as error:
            raise AssertionError(f"no #{field_id}-error element") from error


POLAND_RECIPIENT = {
    "name": "Anna Kowalska",
    "iban": "PL61 1090 1014 0000 0712 1981 2874",
    "bic": "WBKPPLPP",
    "bankName": "Santander Bank Polska",
    "address.street": "ul. Marszałkowska 1",
    "address.postCode": "00-001",
    "address.city": "Warszawa",
}
