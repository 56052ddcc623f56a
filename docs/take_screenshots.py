"""Screenshots of the work coach dashboard and the visibility report in English and Dutch, for the
README.

Run against a server on demo data:

    python manage.py seed_demo --clients 3000 --seed 1
    python manage.py runserver 8000 &
    python docs/take_screenshots.py --base-url http://127.0.0.1:8000

Uses Playwright (Python) with Debian's Chromium (/usr/bin/chromium), like the browser tests.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
DEMO_PASSWORD = "demo-caseload-2026"
# (file stem, who, page, what to wait for, what to click first)
PAGES = [
    ("coach-dashboard", "coach.a", "/dashboard/", "#chart-monitoring .main-svg", None),
    # The visibility report with its table folded, as a manager first reads it, then the table
    # open at the single fathers' neighbours.
    (
        "visibility-report",
        "team.manager",
        "/quality/visibility/",
        "[data-plotly-figure='visibility-trend'] .main-svg",
        "details.findings-table > summary",
    ),
    (
        "visibility-table",
        "team.manager",
        "/quality/visibility/",
        "[data-plotly-figure='visibility-trend'] .main-svg",
        "tbody[data-key='gender=M|household=single_parent_young_child']"
        "[data-measure='contact_rate'] .siblings-toggle",
    ),
]


def take(base_url: str, chromium: str, width: int, full_page: bool) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for language in ("en", "nl"):
            for stem, user, url, ready, click in PAGES:
                context = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": 900}
                )
                # The language switch in the header sets this cookie; setting it is the same.
                context.add_cookies(
                    [{"name": "django_language", "value": language, "url": base_url}]
                )
                page = context.new_page()
                page.goto("/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.goto(url, timeout=120_000)
                page.wait_for_selector(ready, timeout=120_000)
                if click:
                    page.locator(click).first.click()
                path = OUT / f"{stem}-{language}.png"
                if stem == "visibility-table":
                    top = page.evaluate(
                        "document.querySelector('table.findings').getBoundingClientRect().top"
                        " + window.scrollY"
                    )
                    page.screenshot(
                        path=str(path),
                        full_page=True,
                        clip={"x": 0, "y": top - 90, "width": width, "height": 900},
                    )
                else:
                    page.screenshot(path=str(path), full_page=full_page)
                saved.append(path)
                context.close()
        browser.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument(
        "--viewport-only", action="store_true", help="Only the first screen, not the full page."
    )
    args = parser.parse_args()
    for path in take(args.base_url, args.chromium, args.width, full_page=not args.viewport_only):
        print(path)


if __name__ == "__main__":
    main()
