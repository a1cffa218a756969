#!/usr/bin/env python3
"""The office's pages, as a person uses them, in Debian's Chromium driven by Playwright.

Started by the Swift test `ConsoleOfficeBrowserTests` against the real `posplus serve` and the
simulators; it checks what the page says, and the Swift test then checks the ledger, the
terminal's log and Jobber.

    console_office.py BASE_URL SCREENSHOT_DIR NAME PASSWORD SCENARIO

SCENARIO "void" (front desk; payment 1, a part of #1043, is already partly refunded): charges
#1044 in full, opens its details, voids it; then opens payment 1 from today's payments, where
Void is not offered (a partly refunded sale is refunded, not voided).
SCENARIO "tour" (a manager; payment 1 is a part of #1043, Ada has a saved card, a refund waits
for a manager, a reconcile has run): finds Ada's invoices by her name, charges #1044 on her saved
card from the charge panel, opens its details, reads today's totals (printed as a TOTALS line for
the Swift test to compare with the ledger), the terminals' health, the reconcile report, the
approvals queue, removes Ada's saved card and saves a new one on the terminal. Screenshots of every main screen.
Exits non-zero with the reason on failure.
"""
import os
import sys

from playwright.sync_api import expect, sync_playwright

from console_common import fill_login, launch, no_problems, watched_page


def main(base, shots, name, password, scenario):
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page, problems = watched_page(browser, viewport={"width": 1100, "height": 800})

        page.goto(base + "/")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        page.screenshot(path=f"{shots}/01-login.png", full_page=True)
        fill_login(page, name, password)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_role("navigation", name="Pages")).to_be_visible()

        if scenario == "void":
            void(page, shots)
        elif scenario == "tour":
            tour(page, shots)
        else:
            raise SystemExit(f"unknown scenario {scenario}")

        no_problems(problems)
        browser.close()
    print(f"console_office: {scenario} as expected on the page")


def nav(page, label):
    page.get_by_role("navigation", name="Pages").get_by_role("button", name=label).click()


def void(page, shots):
    page.get_by_label("Invoice number or client name").fill("1044")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Invoice #1044")).to_be_visible()
    page.get_by_role("button", name="Charge").click()
    expect(page.locator("#outcome")).to_contain_text("Approved: $89.99")
    page.get_by_role("button", name="Payment details").click()
    expect(page.locator("#payment-state")).to_have_text("Approved")
    void_button = page.get_by_role("button", name="Void")
    expect(void_button).to_be_visible()
    page.screenshot(path=f"{shots}/02-payment-detail-before-void.png", full_page=True)
    void_button.focus()
    page.keyboard.press("Enter")  # keyboard use
    expect(page.locator("#payment-result")).to_have_text("Voided: the customer is not charged.")
    expect(page.locator("#payment-state")).to_have_text("Voided")
    expect(void_button).to_be_hidden()
    expect(page.get_by_role("button", name="Refund")).to_be_hidden()
    # The counter no longer says the invoice was paid by it.
    expect(page.locator("#outcome-title")).to_have_text("Voided")
    expect(page.locator("#invoice-balance")).to_have_text("$89.99")
    page.screenshot(path=f"{shots}/03-voided.png", full_page=True)

    # Payment 1 was partly refunded: its details offer Refund, not Void.
    nav(page, "Today's payments")
    expect(page.get_by_role("heading", name="Today's payments")).to_be_visible()
    page.get_by_role("button", name="Details of payment 1", exact=True).click()
    expect(page.locator("#payment-title")).to_have_text("Payment 1")
    expect(page.locator("#payment-state")).to_have_text("Partly refunded")
    expect(page.get_by_role("button", name="Refund")).to_be_visible()
    expect(page.get_by_role("button", name="Void")).to_be_hidden()
    page.screenshot(path=f"{shots}/04-partly-refunded-no-void.png", full_page=True)


def tour(page, shots):
    # The approvals queue is on the counter for a manager.
    expect(page.locator("#approval-list li.approval")).to_have_count(1)
    page.screenshot(path=f"{shots}/02-counter-and-approvals.png", full_page=True)

    # Find by the client's name, then pick the invoice.
    page.get_by_label("Invoice number or client name").fill("Lovelace")
    page.get_by_role("button", name="Find", exact=True).click()
    found = page.get_by_role("list", name="Invoices found")
    expect(found.get_by_role("button", name="#1044: Ada Lovelace, $89.99 due")).to_be_visible()
    page.screenshot(path=f"{shots}/03-find-by-name.png", full_page=True)
    found.get_by_role("button", name="#1044: Ada Lovelace, $89.99 due").click()
    expect(page.get_by_role("heading", name="Invoice #1044")).to_be_visible()

    # Charge it on Ada's saved card from the charge panel.
    method = page.get_by_label("How the customer pays")
    expect(method.locator("option", has_text="Saved card: VISA")).to_have_count(1)
    method.select_option(label=method.locator("option", has_text="Saved card: VISA").inner_text())
    page.screenshot(path=f"{shots}/04-charge-panel-saved-card.png", full_page=True)
    page.get_by_role("button", name="Charge").click()
    expect(page.locator("#outcome")).to_contain_text("Approved: $89.99")
    page.get_by_role("button", name="Payment details").click()
    expect(page.locator("#payment-state")).to_have_text("Approved")
    page.screenshot(path=f"{shots}/05-payment-detail.png", full_page=True)

    # Today's payments: two charges, their totals by terminal and by way of paying.
    nav(page, "Today's payments")
    expect(page.get_by_role("heading", name="Today's payments")).to_be_visible()
    by_method = page.locator("#today-by-method")
    expect(by_method.get_by_role("row", name="Saved card")).to_contain_text("$89.99")
    expect(by_method.get_by_role("row", name="Card at the terminal")).to_contain_text("$100.00")
    whole = page.locator("#today-by-terminal").get_by_role("row", name="The whole day")
    expect(whole).to_contain_text("$189.99")
    expect(page.locator("#today-list tbody tr")).to_have_count(3)  # two charges and the saved card
    cells = whole.locator("td").all_inner_texts()
    print(f"TOTALS charges={cells[0]} taken={cells[1]} refunded={cells[2]} net={cells[3]}")
    page.screenshot(path=f"{shots}/06-todays-payments.png", full_page=True)

    nav(page, "Terminals")
    expect(page.locator("#terminal-list .health")).to_contain_text("Ready")
    page.screenshot(path=f"{shots}/07-terminals.png", full_page=True)

    nav(page, "Reconcile report")
    expect(page.locator("#report-when")).to_contain_text("by meg")
    expect(page.locator("#report-verdict")).not_to_be_empty()
    expect(page.locator("#report-totals tbody tr")).not_to_have_count(0)
    page.screenshot(path=f"{shots}/08-reconcile-report.png", full_page=True)

    # Saved cards: the page opens on the counter's client; removing asks once more.
    nav(page, "Saved cards")
    expect(page.get_by_role("heading", name="Saved cards of Ada Lovelace")).to_be_visible()
    expect(page.locator("#cards-list li.saved-card")).to_have_count(1)
    page.screenshot(path=f"{shots}/09-saved-cards.png", full_page=True)
    page.locator("#cards-list").get_by_role("button", name="Remove VISA").click()
    page.get_by_role("button", name="Yes, remove VISA").click()
    expect(page.locator("#cards-result")).to_contain_text("It can no longer be charged.")
    expect(page.locator("#cards-list")).to_contain_text("None saved.")
    page.screenshot(path=f"{shots}/10-saved-card-removed.png", full_page=True)
    # A new one, presented on the terminal; nothing is charged.
    expect(page.get_by_label("Save a new card")).to_have_value("front-desk")
    page.get_by_role("button", name="Save a card on the terminal").click()
    expect(page.locator("#cards-result")).to_contain_text("Nothing was charged.")
    expect(page.locator("#cards-list li.saved-card")).to_have_count(1)
    page.screenshot(path=f"{shots}/11-new-card-saved.png", full_page=True)

    # Back at the counter, the charge is as it was left.
    nav(page, "Counter")
    expect(page.locator("#outcome")).to_contain_text("Approved: $89.99")
    expect(page.locator("#approval-list li.approval")).to_have_count(1)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
