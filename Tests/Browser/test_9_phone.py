"""Drop on a phone: a transfer from start to the bank and back using only the tab bar, and the
installed app's own offline page when the server can't be reached."""
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

from drop_pages import KARI, PHONE, DropBrowser


def _on_phone(b: DropBrowser) -> None:
    b.driver.set_window_size(*PHONE)
    b.wait(lambda d: d.execute_script("return window.innerWidth") <= PHONE[0] + 16, 5)


def _current_tab(b: DropBrowser) -> str:
    return b.find("nav.tabbar a[aria-current=page]").get_attribute("href").removeprefix(b.base)


def test_kari_sends_money_through_the_tabs_on_a_phone(kari):
    _on_phone(kari)
    kari.go("/dashboard")
    assert kari.find("nav.tabbar").is_displayed() and not kari.find("header .nav").is_displayed()
    assert _current_tab(kari) == "/dashboard"

    # Send, from its tab: recipient, amount, the review, approval at the bank, back on the tracker.
    kari.click_and_wait(kari.find("nav.tabbar a[href='/send']"))
    assert _current_tab(kari) == "/send"
    kari.choose("#recipientId", index=1)
    kari.fill("#amount", "750")
    kari.submit("form[action='/send/quote']")
    assert "750" in kari.text("dl.summary") and _current_tab(kari) == "/send"
    kari.step("phone-send-review")
    kari.submit("form[action='/send/confirm']")
    kari.approve_at_bank(KARI, "phone-bank-sca")
    path = kari.wait_path(r"/transactions/[0-9a-f-]{36}")
    transfer = re.match(r"/transactions/([0-9a-f-]{36})", path).group(1)
    # The tracker is a page of the history tab, with the tab bar still there.
    assert kari.find("nav.tabbar").is_displayed() and _current_tab(kari) == "/transactions"
    kari.step("phone-tracker")

    # Historikk lists it; Hjem shows it among the latest.
    kari.click_and_wait(kari.find("nav.tabbar a[href='/transactions']"))
    assert kari.path.startswith("/transactions") and kari.has(f"main a[href='/transactions/{transfer}']")
    kari.click_and_wait(kari.find("nav.tabbar a[href='/dashboard']"))
    assert kari.path.startswith("/dashboard") and kari.has(f"main a[href='/transactions/{transfer}']")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_server():
    """A Drop of this test's own (the shared one must stay up), stopped by the test."""
    binary = os.environ.get("DROP_BIN")
    if not binary:
        pytest.skip("DROP_BIN is not set: run scripts/browser-test")
    port = _free_port()
    url = f"http://localhost:{port}"
    with tempfile.TemporaryDirectory(prefix="drop-offline.") as work:
        env = os.environ | {"DROP_ENV": "development", "PORT": str(port), "PUBLIC_BASE_URL": url, "LOG_LEVEL": "warning"}
        log = open(os.path.join(work, "server.log"), "w")
        server = subprocess.Popen([binary, "serve"], cwd=work, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url + "/ready", timeout=2)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError("the second server did not become ready")
                    time.sleep(0.2)
            yield url, server
        finally:
            if server.poll() is None:
                server.kill()
            server.wait()
            log.close()


def test_the_offline_page_shows_when_the_server_is_down(own_server, artifacts):
    url, server = own_server
    b = DropBrowser(url, artifacts, "offline-phone")
    try:
        _on_phone(b)
        b.go("/")
        # The service worker installs on the first visit and takes over the page.
        b.wait(lambda d: d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
               or (d.refresh() or False), 30, "the service worker did not take control")
        b.wait(lambda d: d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "caches.match('/offline').then(r => done(!!r), () => done(false));"), 15, "the offline page was not cached")

        server.terminate()
        server.wait(timeout=15)
        # Any page the person opens now: Drop's own page, in Norwegian, not the browser's error.
        b.driver.get(url + "/dashboard")
        b.wait(lambda d: "uten nett" in d.find_element("css selector", "h1").text, 15, "no offline page")
        assert "Ingen betaling er sendt" in b.text()
        assert b.has("a[href='/dashboard'], a[href='/'], button")  # a way to try again
        b.step("offline")
        assert not b.blocking_findings(), [f.line() for f in b.blocking_findings()]
    finally:
        b.quit()
