"""What every console browser script needs: Debian's Chromium, a page that records its own
script errors, and logging in as a person does. Imported by the console_*.py scripts (their
folder is on Python's path when they run)."""
import os

from playwright.sync_api import expect

CHROMIUM = os.environ.get("POSPLUS_CHROMIUM", "/usr/bin/chromium")


def launch(playwright):
    """The system Chromium, headless; no browser download."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)


def watched_page(context_or_browser, **options):
    """A new page and the list its script errors and Content-Security-Policy violations go to;
    not the 401s the page expects (who am I before logging in, a wrong password) nor the
    browser's favicon request."""
    page = context_or_browser.new_page(**options)
    page.set_default_timeout(15_000)
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text)
        if m.type == "error" and not m.text.startswith("Failed to load resource")
        else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page, problems


def fill_login(page, name, password):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password").fill(password)


def log_in(page, base, name, password, shot=None):
    """Opens the console and logs in; `shot` saves the login screen first."""
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    if shot:
        page.screenshot(path=shot, full_page=True)
    fill_login(page, name, password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def no_problems(problems):
    if problems:
        raise AssertionError("the page logged errors: " + "; ".join(problems))
