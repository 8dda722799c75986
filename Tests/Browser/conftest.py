"""Fixtures for Drop's browser tests. `scripts/browser-test` starts the server and sets DROP_URL;
BROWSER_ARTIFACTS is where screenshots and axe-core results go."""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from drop_pages import AXE_VERSION, KARI, POLAND_RECIPIENT, DropBrowser

ALL_FINDINGS: list = []


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("DROP_URL")
    if not url:
        pytest.exit("DROP_URL is not set: run scripts/browser-test", returncode=2)
    return url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("BROWSER_ARTIFACTS", ".build/browser-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(request, base_url, artifacts):
    """A factory of browsers for this test; each is closed, and its serious/critical axe findings on
    Drop's pages fail the test, once the test is over (so one flow reports every screen's problems)."""
    opened: list[DropBrowser] = []

    def make(name: str | None = None, accept_language: str = "nb-NO,nb") -> DropBrowser:
        label = request.node.name + (f"-{name}" if name else "")
        b = DropBrowser(base_url, artifacts, label, accept_language)
        opened.append(b)
        return b

    yield make
    blocking = []
    for b in opened:
        ALL_FINDINGS.extend(b.findings)
        blocking += b.blocking_findings()
        b.quit()
    if blocking:
        pytest.fail("axe-core: serious/critical violations on Drop pages:\n" + "\n".join(f.line() for f in blocking), pytrace=False)


# Kari's session cookie, shared by the tests that need a signed-in, onboarded Kari with a bank and a
# recipient (the journey test makes her so through the UI; run alone, `kari` does it itself).
_KARI_COOKIES: list[dict] = []


def remember_kari(b: DropBrowser) -> None:
    _KARI_COOKIES[:] = [c for c in b.driver.get_cookies() if c["name"] == "drop_token"]


@pytest.fixture
def kari(browser):
    """A browser signed in as Kari, onboarded, with a linked bank and at least one recipient."""
    b = browser("kari")
    b.national_id = KARI
    if _KARI_COOKIES:
        b.go("/health")
        for cookie in _KARI_COOKIES:
            b.driver.add_cookie({k: v for k, v in cookie.items() if k in ("name", "value", "path", "httpOnly")})
        b.go("/dashboard")
    if not b.path.startswith("/dashboard"):
        where = b.sign_in(KARI, record=False)
        if where.startswith("/onboarding"):
            b.complete_onboarding()
        remember_kari(b)
    b.go("/send")
    if b.has("a[href='/bank-accounts'].notice, p.notice a[href='/bank-accounts']"):
        b.connect_bank()
    b.go("/send")
    if len(b.find_all("#recipientId option")) <= 1:
        b.add_recipient(POLAND_RECIPIENT)
    return b


def pytest_terminal_summary(terminalreporter):
    path = Path(os.environ.get("BROWSER_ARTIFACTS", ".build/browser-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    summary = [f.__dict__ | {"blocking": f.blocking} for f in ALL_FINDINGS]
    (path / "axe-summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    write_gallery(path)
    write = terminalreporter.write_line
    write(f"axe-core {AXE_VERSION[0]}: {len(ALL_FINDINGS)} findings (serious/critical violations on Drop pages fail; "
          "sandbox pages and 'needs review' are reported only); all results in axe-summary.json and per screen")
    for f in sorted(ALL_FINDINGS, key=lambda f: (not f.blocking, f.kind, f.rule)):
        write("  " + f.line())


def write_gallery(path: Path) -> None:
    """index.html beside the screenshots: every recorded screen, phone beside desktop, test by test,
    so a person reviewing a change (or CI's artefact) sees the whole product on one page."""
    sections = []
    for test in sorted(p for p in path.iterdir() if p.is_dir()):
        shots = sorted(test.glob("*-phone.png"))
        if not shots:
            continue
        figures = []
        for phone in shots:
            stem = phone.name[: -len("-phone.png")]
            desktop = phone.with_name(stem + "-desktop.png")
            images = f'<a href="{test.name}/{phone.name}"><img src="{test.name}/{phone.name}" width="195" alt="{stem}, phone"></a>'
            if desktop.exists():
                images += f' <a href="{test.name}/{desktop.name}"><img src="{test.name}/{desktop.name}" width="400" alt="{stem}, desktop"></a>'
            figures.append(f"<figure>{images}<figcaption>{html.escape(stem)}</figcaption></figure>")
        sections.append(f"<section><h2>{html.escape(test.name)}</h2>{''.join(figures)}</section>")
    (path / "index.html").write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Drop: every screen</title>"
        "<style>body{font-family:sans-serif}figure{display:inline-block;vertical-align:top;margin:8px}"
        "img{border:1px solid #ccc;vertical-align:top}</style><h1>Drop: every recorded screen</h1>"
        + "".join(sections))
