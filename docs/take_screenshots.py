"""Screenshots for the README, in English and Dutch: the work coach dashboard, the client list
(filtered from the top bar), the team page, a reassignment preview, the visibility report and the
weekly incomplete-data list (as the quality officer sees it).

Run against a server on demo data:

    python manage.py seed_demo --clients 3000 --seed 1
    python manage.py runserver 8000 &
    python docs/take_screenshots.py --base-url http://127.0.0.1:8000 [--only weekly-list]

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


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def coach_dashboard(page) -> None:
    log_in(page, "coach.a")
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-monitoring .main-svg")


def client_list(page) -> None:
    """The list as a coach arrives from "not seen for more than 90 days", with no CV on file."""
    log_in(page, "coach.a")
    page.goto("/clients/?not_seen=on&not_seen_days=90&cv_on_file=no")


def team(page) -> None:
    log_in(page, "team.manager")
    page.goto("/team/")
    page.wait_for_selector("[data-plotly-figure=caseload-figure] .main-svg")


def reassignment_preview(page) -> None:
    """The busiest coach's five longest-unseen clients to the coach with the fewest clients."""
    log_in(page, "team.manager")
    page.goto("/team/")
    rows = page.locator("#capacity-table tbody tr")
    caseloads = [
        (int(rows.nth(i).locator("td").nth(1).inner_text().split()[0]), i)
        for i in range(rows.count())
    ]
    busiest, quietest = max(caseloads)[1], min(caseloads)[1]
    target = rows.nth(quietest).get_attribute("data-coach")
    rows.nth(busiest).locator("a[href*=from_coach]").click()
    page.wait_for_load_state("networkidle")
    page.goto(page.url + "&ordering=last_contact_date")
    for index in range(5):
        page.locator("#client-chooser tbody input[type=checkbox]").nth(index).check()
    page.select_option("#id_to_coach", target)
    page.locator("button[name=preview]").click()
    page.wait_for_load_state("networkidle")


def visibility_report(page) -> None:
    """The report with its table folded, as a manager first reads it."""
    log_in(page, "team.manager")
    page.goto("/quality/visibility/", timeout=120_000)
    page.wait_for_selector("[data-plotly-figure='visibility-trend'] .main-svg", timeout=120_000)
    page.locator("details.findings-table > summary").first.click()


def visibility_table(page) -> dict:
    """The table open at the single fathers' neighbours; returns the part of the page to keep."""
    log_in(page, "team.manager")
    page.goto("/quality/visibility/", timeout=120_000)
    page.wait_for_selector("[data-plotly-figure='visibility-trend'] .main-svg", timeout=120_000)
    page.locator(
        "tbody[data-key='gender=M|household=single_parent_young_child']"
        "[data-measure='contact_rate'] .siblings-toggle"
    ).first.click()
    top = page.evaluate(
        "document.querySelector('table.findings').getBoundingClientRect().top + window.scrollY"
    )
    return {"x": 0, "y": top - 90, "width": page.viewport_size["width"], "height": 900}


def weekly_list(page) -> None:
    log_in(page, "quality.officer")
    page.goto("/quality/weekly/?page_size=15")
    page.wait_for_selector("#weekly-list")


SHOTS = {
    "coach-dashboard": (coach_dashboard, True),
    "client-list": (client_list, False),
    "team": (team, False),
    "reassignment-preview": (reassignment_preview, False),
    "visibility-report": (visibility_report, True),
    "visibility-table": (visibility_table, True),
    "weekly-list": (weekly_list, True),
}


def take(
    base_url: str, chromium: str, width: int, full_page: bool, only: set[str] | None = None
) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, (steps, whole_page) in SHOTS.items():
            if only and name not in only:
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
                clip = steps(page)  # a step may return the part of the page to keep
                path = OUT / f"{name}-{language}.png"
                page.screenshot(
                    path=str(path), full_page=bool(clip) or (full_page and whole_page), clip=clip
                )
                saved.append(path)
                context.close()
        browser.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument(
        "--viewport-only", action="store_true", help="Only the first screen, not the full page."
    )
    parser.add_argument("--only", action="append", choices=list(SHOTS), help="Only these pages.")
    args = parser.parse_args()
    only = set(args.only or [])
    for path in take(
        args.base_url, args.chromium, args.width, full_page=not args.viewport_only, only=only
    ):
        print(path)


if __name__ == "__main__":
    main()
