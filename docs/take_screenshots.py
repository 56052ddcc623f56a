"""Screenshots for the README, in English and Dutch: the work coach dashboard and the weekly
incomplete-data list (as the quality officer sees it).

Run against a server on demo data:

    python manage.py seed_demo --clients 3000 --seed 1
    python manage.py runserver 8000 &
    python docs/take_screenshots.py --base-url http://127.0.0.1:8000 [--only weekly-list]

Uses Playwright (Python) with Debian's Chromium (/usr/bin/chromium), like the browser tests.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
DEMO_PASSWORD = "demo-caseload-2026"


@dataclass(frozen=True)
class Shot:
    name: str  # the file is docs/screenshots/<name>-<language>.png
    user: str
    path: str
    ready: str  # a selector present once the page is drawn


SHOTS = [
    Shot("coach-dashboard", "coach.a", "/dashboard/", "#chart-monitoring .main-svg"),
    Shot("weekly-list", "quality.officer", "/quality/weekly/?page_size=15", "#weekly-list"),
]


def take(
    base_url: str, chromium: str, width: int, full_page: bool, only: set[str] | None = None
) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for shot in SHOTS:
            if only and shot.name not in only:
                continue
            for language in ("en", "nl"):
                context = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": 900}
                )
                # The language switch in the header sets this cookie; setting it directly is the same.
                context.add_cookies(
                    [{"name": "django_language", "value": language, "url": base_url}]
                )
                page = context.new_page()
                page.goto("/login/")
                page.fill("input[name=username]", shot.user)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.goto(shot.path)
                page.wait_for_selector(shot.ready)
                path = OUT / f"{shot.name}-{language}.png"
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
    parser.add_argument(
        "--only", action="append", choices=[shot.name for shot in SHOTS], help="Only these pages."
    )
    args = parser.parse_args()
    only = set(args.only or [])
    for path in take(
        args.base_url, args.chromium, args.width, full_page=not args.viewport_only, only=only
    ):
        print(path)


if __name__ == "__main__":
    main()
