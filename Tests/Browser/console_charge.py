#!/usr/bin/env python3
"""The counter's charge, as a person does it, in Debian's Chromium driven by Playwright.

Started by the Swift test `ConsoleBrowserTests` against the real `posplus serve` and the
simulators; it checks what the page says, and the Swift test then checks the ledger, the
terminal's log and Jobber's note.

    console_charge.py BASE_URL SCREENSHOT_DIR NAME PASSWORD SCENARIO

SCENARIO "approve": logs in, finds invoice #1043, double-clicks Charge (one payment must come
of it), waits for "Approved". SCENARIO "cancel" (the terminal holds the sale until cancelled):
finds #1044, charges, waits for "waiting for the card", presses Cancel and reads the decline.
SCENARIO "decline": finds #1043, charges $20.01 as a part (the terminal declines that amount)
and reads the decline and what to do. SCENARIO "refund": charges #1044 in full, opens the payment's
details, asks to refund $60.00 (over the $50.00 threshold: it waits for a manager), then
refunds $20.00 and opens the sale's printable receipt. SCENARIO "approvals" (a manager; one refund waits): approves it from the queue with a note.
SCENARIO "plans" (plans.mode = suggest): finds #1043 and reads why Ada is offered no payment plan.
Saves a screenshot of each screen. Exits non-zero with the reason on failure.
"""
import os
import sys

from playwright.sync_api import expect, sync_playwright

from console_common import fill_login, launch, no_problems, watched_page


def main(base, shots, name, password, scenario):
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page, problems = watched_page(browser, viewport={"width": 1024, "height": 800})

        page.goto(base + "/")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        page.screenshot(path=f"{shots}/01-login.png", full_page=True)

        # A wrong password says so in words.
        fill_login(page, name, "not the password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_be_visible()
        page.screenshot(path=f"{shots}/02-login-refused.png", full_page=True)

        fill_login(page, name, password)
        page.keyboard.press("Enter")  # keyboard use: Enter submits
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_text(f"{name} (")).to_be_visible()

        if scenario == "approve":
            approve(page, shots)
        elif scenario == "cancel":
            cancel(page, shots)
        elif scenario == "decline":
            decline(page, shots)
        elif scenario == "refund":
            refund(page, shots)
        elif scenario == "approvals":
            approvals(page, shots)
        elif scenario == "plans":
            plans(page, shots)
        else:
            raise SystemExit(f"unknown scenario {scenario}")

        no_problems(problems)
        browser.close()
    print(f"console_charge: {scenario} as expected on the page")


def find(page, number, balance):
    page.get_by_label("Invoice number").fill(number)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name=f"Invoice #{number}")).to_be_visible()
    expect(page.locator("#invoice-balance")).to_have_text(balance)
    expect(page.get_by_label("Amount (USD)")).to_have_value(balance.lstrip("$").replace(",", ""))
    expect(page.get_by_label("Terminal", exact=True)).to_have_value("front-desk")


def approve(page, shots):
    find(page, "1043", "$1,234.56")
    expect(page.get_by_role("button", name="#1044: $89.99 due")).to_be_visible()
    page.screenshot(path=f"{shots}/03-invoice-and-charge-panel.png", full_page=True)

    # An amount that is not one is refused on the page, before anything is sent.
    amount = page.get_by_label("Amount (USD)")
    amount.fill("12,34.5.6")
    page.get_by_role("button", name="Charge").click()
    expect(page.get_by_role("alert")).to_contain_text("Type the amount as numbers")
    amount.fill("1234.56")

    # A double click: the page sends one order under one key, so one payment.
    page.get_by_role("button", name="Charge").dblclick()
    expect(page.locator("#outcome")).to_contain_text("Approved: $1,234.56")
    expect(page.get_by_role("button", name="Charge")).to_be_disabled()
    page.screenshot(path=f"{shots}/04-approved.png", full_page=True)


def cancel(page, shots):
    find(page, "1044", "$89.99")
    page.get_by_role("button", name="Charge").click()
    # Live status from the server-sent events while the terminal waits for the card.
    expect(page.locator("#progress-text")).to_contain_text("Waiting for the card")
    cancel_button = page.get_by_role("button", name="Cancel on the terminal")
    expect(cancel_button).to_be_visible()
    page.screenshot(path=f"{shots}/03-waiting-for-card.png", full_page=True)
    cancel_button.focus()
    page.keyboard.press("Enter")  # keyboard use: the cancel button answers Enter
    expect(page.locator("#outcome-title")).to_have_text("Declined")
    expect(page.locator("#outcome-text")).to_contain_text("Ask for another card or another way to pay")
    expect(page.get_by_role("button", name="Charge")).to_be_enabled()
    page.screenshot(path=f"{shots}/04-cancelled-declined.png", full_page=True)


def decline(page, shots):
    find(page, "1043", "$1,234.56")
    page.get_by_label("Amount (USD)").fill("20.01")
    page.get_by_role("button", name="Charge").click()
    expect(page.locator("#outcome-title")).to_have_text("Declined")
    expect(page.locator("#outcome")).to_have_class("declined")
    expect(page.locator("#outcome-text")).to_contain_text("Ask for another card or another way to pay")
    # Nothing was taken: the balance is as it was and the counter may try again.
    expect(page.locator("#invoice-balance")).to_have_text("$1,234.56")
    expect(page.get_by_role("button", name="Charge")).to_be_enabled()
    page.screenshot(path=f"{shots}/03-declined.png", full_page=True)


def refund(page, shots):
    find(page, "1044", "$89.99")
    page.get_by_role("button", name="Charge").click()
    expect(page.locator("#outcome")).to_contain_text("Approved: $89.99")
    page.get_by_role("button", name="Payment details").click()
    expect(page.locator("#payment-state")).to_have_text("Approved")
    expect(page.locator("#payment-amount")).to_have_text("$89.99")
    expect(page.locator("#payment-card")).to_contain_text("1111")
    expect(page.locator("#payment-attempts li")).to_have_count(1)
    page.screenshot(path=f"{shots}/03-payment-detail.png", full_page=True)
    amount = page.get_by_label("Refund amount (leave empty to refund all)")
    amount.fill("2O.00")
    page.get_by_role("button", name="Refund").click()
    expect(page.locator("#payment-result")).to_contain_text("Type the amount as numbers")
    # Over the threshold ($50.00): it waits for a manager, nothing is refunded yet.
    amount.fill("60.00")
    page.get_by_role("button", name="Refund").click()
    expect(page.locator("#payment-result")).to_contain_text("Waiting for a manager")
    expect(page.locator("#payment-refunded")).to_have_text("$0.00")
    amount.fill("20.00")
    amount.press("Enter")  # keyboard use
    expect(page.locator("#payment-result")).to_contain_text("Refunded $20.00")
    expect(page.locator("#payment-state")).to_have_text("Partly refunded")
    expect(page.locator("#payment-refunded")).to_have_text("$20.00")
    page.screenshot(path=f"{shots}/04-partly-refunded.png", full_page=True)
    # The payment's printable receipt, in its own tab: the invoice's items and the card.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Receipt").click()
    receipt = opened.value
    expect(receipt.locator("#receipt")).to_contain_text("Smart thermostat")
    expect(receipt.locator("#receipt")).to_contain_text("VISA •••• 1111")
    receipt.screenshot(path=f"{shots}/05-receipt.png", full_page=True)
    # Sent to the client by the outbox (the Swift test finds the job); once per click.
    send = receipt.get_by_role("button", name="Send to the customer")
    send.click()
    expect(receipt.locator("#receipt-sent")).to_have_text("Queued: posplus sends it to the customer's preferred email or phone in a moment.")
    expect(send).to_be_disabled()
    receipt.close()


def approvals(page, shots):
    expect(page.get_by_role("heading", name="Waiting for a manager")).to_be_visible()
    waiting = page.locator("#approval-list li.approval")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Asked by fred")
    page.screenshot(path=f"{shots}/03-approvals-queue.png", full_page=True)
    page.get_by_label("Note for the audit log (optional)").fill("called back")
    waiting.get_by_role("button", name="Approve request").click()
    expect(page.locator("#approval-result")).to_contain_text("Approved request")
    expect(page.locator("#approval-result")).to_contain_text("it ran")
    expect(page.locator("#approval-list")).to_have_text("Nothing is waiting.")
    page.screenshot(path=f"{shots}/04-approved-and-ran.png", full_page=True)


def plans(page, shots):
    find(page, "1043", "$1,234.56")
    expect(page.get_by_role("heading", name="Payment plans")).to_be_visible()
    expect(page.locator("#plans-reason")).to_contain_text("1 open dispute. A client with an open dispute is not offered a plan.")
    expect(page.get_by_role("button", name="Accept option 1")).to_have_count(0)
    page.screenshot(path=f"{shots}/03-no-plan-and-why.png", full_page=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0)  # Playwright imported: the browser test can run
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
