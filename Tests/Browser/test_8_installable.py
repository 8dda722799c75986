"""Drop on a phone without an app store: Chromium finds the web app installable (manifest, icons, a
service worker that keeps an offline page and nothing personal), and on a phone-sized screen the four tabs replace the header's links."""
import time

from drop_pages import DESKTOP, MONA, PHONE


def test_the_web_app_installs_and_has_app_tabs_on_phones(browser):
    mona = browser("mona-phone")
    mona.sign_in(MONA)
    mona.go("/dashboard")

    # The service worker takes over (it registers on load) and Chromium has nothing against installing.
    mona.wait(lambda d: d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
              or (d.refresh() or False), 30, "the service worker did not take control")
    errors = []
    for _ in range(10):
        errors = mona.driver.execute_cdp_cmd("Page.getInstallabilityErrors", {}).get("installabilityErrors", [])
        if not errors:
            break
        time.sleep(1)
    assert errors == [], errors
    manifest = mona.driver.execute_cdp_cmd("Page.getAppManifest", {})
    assert manifest.get("url", "").endswith("/assets/manifest.webmanifest") and not manifest.get("errors"), manifest

    # Phone: a tab bar with the current tab marked, no row of header links.
    mona.driver.set_window_size(*PHONE)
    mona.wait(lambda d: d.execute_script("return window.innerWidth") <= PHONE[0] + 16, 5)
    assert mona.find("nav.tabbar").is_displayed() and not mona.find("header .nav").is_displayed()
    assert mona.find("nav.tabbar a[aria-current=page]").get_attribute("href").endswith("/dashboard")
    mona.click_and_wait(mona.find("nav.tabbar a[href='/send']"))
    assert mona.path.startswith("/send") and mona.find("nav.tabbar a[aria-current=page]").get_attribute("href").endswith("/send")
    mona.step("phone-tabs-send")
    # Desktop: the header's links, no tab bar.
    mona.driver.set_window_size(*DESKTOP)
    mona.wait(lambda d: d.execute_script("return window.innerWidth") > PHONE[0] + 16, 5)
    assert mona.find("header .nav").is_displayed() and not mona.find("nav.tabbar").is_displayed()

    # The page the worker shows without a network is in its cache, and says nothing personal.
    offline = mona.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.match('/offline').then(r => r ? r.text() : '').then(done, () => done(''));")
    assert "uten nett" in offline or "offline" in offline, offline[:300]
    assert "Monas Kaffebar" not in offline and "Mona" not in offline
    # Nothing personal is cached: only the shell.
    cached = mona.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))"
        ".then(lists => done(lists.flat().map(r => new URL(r.url).pathname)), () => done([]));")
    assert cached and all(p == "/offline" or p.startswith("/assets/") for p in cached), cached
