#!/usr/bin/env python3
"""A technician's payment link, on a phone-sized page, in Debian's Chromium driven by Playwright.

Started by the Swift test `ConsoleBrowserTests` (ConsoleBrowserTests+Links.swift) against the real
`posplus serve` and the simulators. It checks what the page says; the Swift test checks the
ledger, the text message that went out and Jobber's note.

    console_links.py BASE_URL SCREENSHOT_DIR NAME PASSWORD MANAGER

On a 390x844 touch screen: logs in, finds the client's invoices by name, picks #1044, texts a
link to the customer, and sees it "Not paid yet". Then it prints "SENT" and waits for a line on
its standard input: the Swift test sends the text message, pays the link through the Stripe
simulator as the customer would, and writes "PAID". The page must then show the link paid by
itself (it reads the list again while a link is open). Last, #1043 ($1,234.56, over the
$1,000.00 threshold) is sent and must show as waiting for a manager; MANAGER (same password),
at a desk-sized window of their own, approves it from the queue, and the technician's page shows
it sent and not paid yet. Last, a link for #1042 is sent and cancelled. The page must never be
wider than the screen. Saves a screenshot of each screen. Exits non-zero with the reason.
"""
import os
import sys

from playwright.sync_api import expect, sync_playwright

from console_common import fill_login, launch, log_in, no_problems, watched_page
PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page, where):
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > PHONE["width"]:
        raise AssertionError(f"{where}: the page is {wide}px wide on a {PHONE['width']}px screen")


def big_enough(locator, what):
    box = locator.bounding_box()
    if box is None or box["height"] < 44:
        raise AssertionError(f"{what} is too small to tap: {box}")


def approve_as_manager(browser, base, shots, manager, password, requester):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page, problems = watched_page(context)
    log_in(page, base, manager, password)
    waiting = page.locator("#approval-list li.approval")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Payment link for $1,234.56 on invoice #1043, texted to +15555550101")
    expect(waiting).to_contain_text(f"Asked by {requester}")
    page.screenshot(path=f"{shots}/07-manager-queue.png", full_page=True)
    waiting.get_by_role("button", name="Approve request").click()
    expect(page.locator("#approval-result")).to_contain_text("the link for $1,234.56 was sent to the customer")
    expect(page.locator("#approval-list")).to_have_text("Nothing is waiting.")
    no_problems(problems)
    context.close()


def main(base, shots, name, password, manager):
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        page, problems = watched_page(context)

        page.goto(base + "/")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        fill_login(page, name, password)
        page.get_by_role("button", name="Log in").tap()
        expect(page.get_by_role("heading", name="Send a payment link")).to_be_visible()
        expect(page.get_by_role("heading", name="Find an invoice")).to_be_hidden()  # the counter's, not a technician's
        expect(page.get_by_label("Invoice # or client")).to_be_focused()
        no_sideways_scroll(page, "after logging in")
        page.screenshot(path=f"{shots}/01-links-start.png", full_page=True)

        # Find the job's invoice by the client's name, and pick #1044.
        page.get_by_label("Invoice # or client").fill("Lovelace")
        page.get_by_role("button", name="Search").tap()
        pick = page.get_by_role("button", name="Invoice 1044 for Ada Lovelace, $89.99 due")
        expect(pick).to_be_visible()
        big_enough(pick, "an invoice to pick")
        no_sideways_scroll(page, "the invoices found")
        page.screenshot(path=f"{shots}/02-invoices-found.png", full_page=True)
        pick.tap()
        expect(page.get_by_role("heading", name="Invoice #1044")).to_be_visible()
        expect(page.get_by_label("Amount to ask for (USD)")).to_have_value("89.99")
        expect(page.get_by_label("Text message")).to_be_checked()
        page.get_by_label("Customer's mobile number").fill("(555) 555-0101")
        send = page.get_by_role("button", name="Send link")
        big_enough(send, "Send link")
        page.screenshot(path=f"{shots}/03-send-form.png", full_page=True)
        send.tap()
        result = page.get_by_role("status").filter(has_text="Sent:")
        expect(result).to_contain_text("a link for $89.99 on invoice #1044, texted to (555) 555-0101")
        mine = page.get_by_role("list", name="My links")
        sent = mine.get_by_role("listitem").filter(has_text="Invoice #1044")
        expect(sent).to_contain_text("Not paid yet")
        expect(sent.get_by_role("button", name="Cancel the link for Invoice #1044, $89.99")).to_be_visible()
        no_sideways_scroll(page, "after sending")
        page.screenshot(path=f"{shots}/04-link-sent.png", full_page=True)

        # The customer pays from the text message (done by the Swift test); the page sees it.
        print("SENT", flush=True)
        if sys.stdin.readline().strip() != "PAID":
            raise AssertionError("the test did not report the link paid")
        expect(sent).to_contain_text("Paid", timeout=20_000)
        expect(sent.get_by_role("button")).to_have_count(0)  # a paid link cannot be cancelled
        page.screenshot(path=f"{shots}/05-link-paid.png", full_page=True)

        # Over the threshold: the link waits for a manager, and says so.
        page.get_by_label("Invoice # or client").fill("#1043")
        page.get_by_role("button", name="Search").tap()
        expect(page.get_by_role("heading", name="Invoice #1043")).to_be_visible()
        expect(page.get_by_label("Amount to ask for (USD)")).to_have_value("1234.56")
        page.get_by_label("Customer's mobile number").fill("+1 555 555 0101")
        page.get_by_role("button", name="Send link").tap()
        waiting = page.get_by_role("status").filter(has_text="Waiting for a manager")
        expect(waiting).to_contain_text("over the $1,000.00 that needs a manager")
        held = mine.get_by_role("listitem").filter(has_text="Invoice #1043")
        expect(held).to_contain_text("Waiting for a manager: not sent yet")
        no_sideways_scroll(page, "a link waiting for a manager")
        page.screenshot(path=f"{shots}/06-link-waiting.png", full_page=True)

        # A manager approves it at the office; the technician's page sees it sent, by itself.
        approve_as_manager(browser, base, shots, manager, password, name)
        expect(held).to_contain_text("Not paid yet", timeout=20_000)
        expect(page.get_by_role("status").filter(has_text="A manager approved it")).to_be_visible()
        expect(held.get_by_role("button", name="Cancel the link for Invoice #1043, $1,234.56")).to_be_visible()
        page.screenshot(path=f"{shots}/08-approved-link-sent.png", full_page=True)

        # A link sent by mistake (#1042, $4.60) is cancelled before the customer pays it.
        page.get_by_label("Invoice # or client").fill("1042")
        page.get_by_role("button", name="Search").tap()
        expect(page.get_by_role("heading", name="Invoice #1042")).to_be_visible()
        page.get_by_label("Customer's mobile number").fill("+15555550101")
        page.get_by_role("button", name="Send link").tap()
        mistake = mine.get_by_role("listitem").filter(has_text="Invoice #1042")
        expect(mistake).to_contain_text("Not paid yet")
        page.once("dialog", lambda dialog: dialog.accept())
        mistake.get_by_role("button", name="Cancel the link for Invoice #1042, $4.60").tap()
        expect(page.get_by_role("status").filter(has_text="Cancelled the link for Invoice #1042")).to_be_visible()
        expect(mistake).to_contain_text("Cancelled")
        expect(mistake.get_by_role("button")).to_have_count(0)
        page.screenshot(path=f"{shots}/09-link-cancelled.png", full_page=True)

        no_problems(problems)
        browser.close()
    print("console_links: as expected on the page", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    try:
        main(*sys.argv[1:])
    except Exception as error:  # the reason, for the Swift test's failure message
        print(f"console_links: {error}", flush=True)
        raise SystemExit(1)
