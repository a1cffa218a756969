#!/usr/bin/env python3
"""The follow-ups page, as the front desk uses it, in Debian's Chromium driven by Playwright.

Started by the Swift test `ConsoleFollowUpsBrowserTests` against the real `posplus serve` after
a hard decline of #1043 was followed up to an office task, with one reminder of #1044 to come.

    console_followups.py BASE_URL SCREENSHOT_DIR NAME PASSWORD TASK_ID NOTE

Opens "Follow-ups" from the page menu, reads the open task, the running recovery's steps in
words and the reminder to come; tries to close the task without a note (refused on the page),
then closes it with NOTE. The Swift test then checks the ledger. Exits non-zero with the reason
on failure.
"""
import os
import sys

from playwright.sync_api import expect, sync_playwright

from console_common import log_in, launch, no_problems, watched_page


def main(base, shots, name, password, task, note):
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page, problems = watched_page(browser, viewport={"width": 1100, "height": 900})
        log_in(page, base, name, password)
        page.get_by_role("navigation", name="Pages").get_by_role("button", name="Follow-ups").click()
        expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
        tasks = page.locator("#followups-tasks")
        expect(tasks).to_contain_text(f"Task {task}: invoice #1043")
        expect(tasks).to_contain_text("call the customer")
        recoveries = page.locator("#followups-recoveries")
        expect(recoveries).to_contain_text("Invoice #1043")
        expect(recoveries).to_contain_text("text a payment link: done")
        expect(recoveries).to_contain_text("a task for the office: open for the office")
        expect(page.locator("#followups-reminders")).to_contain_text("Invoice #1044")
        expect(page.locator("#followups-reminders")).to_contain_text("(3 days before the due date), planned.")
        page.screenshot(path=f"{shots}/01-follow-ups.png", full_page=True)

        close = page.get_by_role("button", name=f"Close task {task}")
        field = page.get_by_label(f"What the office did about task {task}")
        field.fill("   ")
        close.click()
        expect(page.locator("#followups-result")).to_have_text("Say what was done before closing the task.")
        field.fill(note)
        field.press("Enter")  # keyboard use
        expect(page.locator("#followups-result")).to_have_text(f"Task {task} closed by {name}: {note}")
        expect(tasks).to_have_text("No open task.")
        expect(recoveries).to_contain_text("a task for the office: done")
        page.screenshot(path=f"{shots}/02-task-closed.png", full_page=True)
        no_problems(problems)
        browser.close()
    print("console_followups: as expected on the page")


if __name__ == "__main__":
    main(*sys.argv[1:7])
