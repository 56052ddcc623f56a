"""Real-browser tests: Playwright (Python) driving Debian's Chromium, axe-core from npm.

`playwright install` cannot download browsers here, so we launch /usr/bin/chromium directly.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make
# in between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (see .ci/run)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(browser, base_url: str, width: int = 1280, locale: str = "en-GB"):
    """A browser context at a screen width, in a language (the browser's Accept-Language)."""
    # bypass_csp: axe-core is injected as a script, which the app's own CSP rightly forbids.
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": 900},
        locale=locale,
        bypass_csp=True,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server, settings):
    settings.LANGUAGE_CODE = "en"
    context = new_context(browser, live_server.url)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, user):
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def log_in(page):
    def _log_in(user):
        return sign_in(page, user)

    return _log_in


@pytest.fixture
def axe():
    """axe(page) -> list of serious or critical accessibility violations on the current page."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} missing: run `npm ci` (make test does)")
    source = AXE_JS.read_text(encoding="utf-8")

    def _run(page):
        page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _run
