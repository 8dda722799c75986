"""Keyboard only: Tab reaches every interactive element in order, focus is always visible, and
Enter/Space do the work a click would."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from drop_pages import KARI, _replaced

MARK_FOCUSABLES = """
const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), details > summary';
// What a closed <details> holds (the language menu's links) is skipped by Tab until it is opened; its summary is not.
const hiddenInDetails = el => { const d = el.closest('details:not([open])'); return d !== null && !(el.tagName === 'SUMMARY' && el.parentElement === d); };
const all = [...document.querySelectorAll(selector)].filter(el => {
  const s = getComputedStyle(el);
  return s.visibility !== 'hidden' && s.display !== 'none' && el.getClientRects().length > 0 && !hiddenInDetails(el);
});
all.forEach((el, i) => el.setAttribute('data-kb', String(i)));
return all.map(el => el.outerHTML.slice(0, 120));
"""

FOCUS_STATE = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const s = getComputedStyle(el);
const r = el.getBoundingClientRect();
// WCAG 1.4.11: the focus indicator needs 3:1 against what is around it (the nearest opaque background).
const rgb = c => (c.match(/[0-9.]+/g) || []).map(Number);
const lum = c => { const v = rgb(c).slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                   return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
let bgEl = el.parentElement, bg = 'rgb(255, 255, 255)';
while (bgEl) { const c = getComputedStyle(bgEl).backgroundColor; const a = rgb(c);
  if (a.length === 3 || (a.length === 4 && a[3] > 0.9)) { bg = c; break; } bgEl = bgEl.parentElement; }
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
const shadowColors = s.boxShadow === 'none' ? [] : (s.boxShadow.match(/rgba?\\([^)]*\\)/g) || []);
const contrast = Math.max(outline ? ratio(s.outlineColor, bg) : 0, ...shadowColors.map(c => ratio(c, bg)));
return {kb: el.getAttribute('data-kb'), html: el.outerHTML.slice(0, 120),
        outline, shadow: shadowColors.length > 0, contrast: Math.round(contrast * 100) / 100, background: bg,
        focusVisible: el.matches(':focus-visible'),
        onScreen: r.right > 0 && r.bottom > 0 && r.left < window.innerWidth + 1};
"""


def tab_through(b, step: str) -> list[dict]:
    """Tabs from the top of the page once around; asserts every focusable element was reached, each
    with a visible focus indicator. Returns the focus states in order."""
    b.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    focusables = b.driver.execute_script(MARK_FOCUSABLES)
    assert focusables, "nothing to focus"
    seen: list[dict] = []
    for _ in range(len(focusables) + 3):
        ActionChains(b.driver).send_keys(Keys.TAB).perform()
        state = b.driver.execute_script(FOCUS_STATE)
        if state is None:
            continue
        if seen and state["kb"] == seen[0]["kb"]:
            break
        seen.append(state)
        if len(seen) == 1:
            b.step(f"{step}-first-focus")      # the skip link, shown on focus
    reached = {s["kb"] for s in seen}
    missing = [html for i, html in enumerate(focusables) if str(i) not in reached]
    assert not missing, f"not reachable with Tab on {b.path}: {missing}"
    invisible = [s["html"] for s in seen if not (s["outline"] or s["shadow"])]
    assert not invisible, f"focus not visible on {b.path}: {invisible}"
    faint = [(s["html"], s["contrast"], s["background"]) for s in seen if s["contrast"] < 3]
    assert not faint, f"focus indicator below 3:1 against its background on {b.path}: {faint}"
    offscreen = [s["html"] for s in seen if not s["onScreen"]]
    assert not offscreen, f"focused but off screen on {b.path}: {offscreen}"
    order = [int(s["kb"]) for s in seen if s["kb"] is not None]
    assert order == sorted(order), f"Tab order differs from the reading order on {b.path}: {order}"
    return seen


def focus_by_tab(b, css: str, limit: int = 60) -> None:
    """Presses Tab until `css` has the focus."""
    target = b.find(css)
    for _ in range(limit):
        if b.driver.switch_to.active_element == target:
            return
        ActionChains(b.driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"{css} never got the focus")


def test_login_by_keyboard(browser):
    b = browser()
    b.go("/login")
    tab_through(b, "login")
    b.driver.execute_script("document.activeElement && document.activeElement.blur()")
    focus_by_tab(b, "main a.button.primary")
    b.step("login-button-focused")
    old = b.find("html")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    b.wait(_replaced(old), 20)
    b.wait_path(r"/sandbox/bankid/")
    focus_by_tab(b, "input[name=nationalId]")
    ActionChains(b.driver).send_keys(KARI).send_keys(Keys.ENTER).perform()
    assert b.wait_path(r"/(onboarding|dashboard)")


def test_the_language_menu_by_keyboard(browser):
    """Enter opens the header's language menu, Tab reaches the languages, Enter picks one."""
    b = browser()
    b.go("/login")
    b.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    focus_by_tab(b, "header details.lang summary")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    assert b.find("header details.lang").get_attribute("open") is not None
    focus_by_tab(b, "header details.lang a[hreflang='pl']", limit=10)
    b.step("language-menu-open")
    old = b.find("html")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    b.wait(_replaced(old), 20)
    assert b.path.startswith("/login") and b.find("html").get_attribute("lang") == "pl"


def test_send_by_keyboard(kari):
    b = kari
    b.go("/send")
    tab_through(b, "send")
    b.driver.execute_script("document.activeElement && document.activeElement.blur()")
    focus_by_tab(b, "#recipientId")
    ActionChains(b.driver).send_keys(Keys.ARROW_DOWN).perform()
    assert b.find("#recipientId").get_attribute("value"), "the arrow key chose a recipient"
    focus_by_tab(b, "#amount")
    ActionChains(b.driver).send_keys("250").perform()
    b.step("send-filled-by-keyboard")
    focus_by_tab(b, "form[action='/send/quote'] button[type=submit]")
    old = b.find("html")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    b.wait(_replaced(old), 20)
    assert b.has("form[action='/send/confirm']"), f"no review page: {b.text()[:300]}"
    b.step("review-by-keyboard")
    tab_through(b, "review")
