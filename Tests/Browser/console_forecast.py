#!/usr/bin/env python3
"""The cash-flow page, as a manager uses it, in Debian's Chromium driven by Playwright.

Started by the Swift test `ConsoleForecastBrowserTests` against the real `posplus serve` and the
Jobber simulator's standard account on 2026-12-01.

    console_forecast.py BASE_URL SCREENSHOT_DIR NAME PASSWORD

Opens "Cash flow" from the page menu and checks the horizons, the chart (an SVG with a bar per
week and the running-total line), DSO, and the chase list with its reasons; prints CHASE lines
for the Swift test. Exits non-zero with the reason on failure.
"""
import os
import sys

from playwright.sync_api import expect, sync_playwright

from console_common import log_in, launch, no_problems, watched_page


def main(base, shots, name, password):
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page, problems = watched_page(browser, viewport={"width": 1100, "height": 900})
        log_in(page, base, name, password)
        page.get_by_role("navigation", name="Pages").get_by_role("button", name="Cash flow").click()
        expect(page.get_by_role("heading", name="Cash flow")).to_be_visible()
        expect(page.locator("#forecast-status")).to_contain_text("from 8 invoices")
        expect(page.locator("#forecast-horizons")).to_contain_text("30 days")
        chart = page.locator("#forecast-chart svg")
        expect(chart).to_be_visible()
        expect(chart.locator("g.week")).to_have_count(13)
        expect(chart.locator("polyline.cumulative")).to_have_count(1)
        box = chart.bounding_box()
        if not box or box["width"] < 300 or box["height"] < 150:
            raise SystemExit(f"the chart is not drawn at its size: {box}")
        expect(page.locator("#forecast-dso")).to_contain_text("89.9 days")
        items = page.locator("#forecast-chase li")
        expect(items.first).to_contain_text("#1050 Grace Hopper: $999,999.99")
        expect(items.first).to_contain_text("30 days past due; no paid invoice from this client yet")
        page.screenshot(path=f"{shots}/01-cash-flow.png", full_page=True)
        for text in items.all_inner_texts():
            print("CHASE " + " ".join(text.split()))
        no_problems(problems)
        browser.close()
    print("console_forecast: as expected on the page")


if __name__ == "__main__":
    main(*sys.argv[1:5])
