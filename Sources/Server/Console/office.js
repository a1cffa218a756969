// posplus console: the office's pages — the page menu, today's payments with their totals, the
// terminals' health and the last reconcile report. Loaded after console.js and payment.js; uses
// their api(), $, show(), notice(), errorText() and openPayment(). Reads only; moves no money.
"use strict";

const office = { me: null, view: "counter" };

// ---- Pages: the counter (the first page's sections) or one of the office's -----------------

// The counter's sections are every section of the page without data-view, except the login.
// Leaving the counter parks whether each was shown; coming back restores it, so a half-done
// charge is still there.
function counterSections() {
  return Array.from(document.querySelectorAll("main > section")).filter((section) => !section.dataset.view && section.id !== "login");
}

function openView(name) {
  if (office.view === "counter" && name !== "counter") {
    for (const section of counterSections()) { section.dataset.parked = section.hidden ? "hidden" : "shown"; section.hidden = true; }
  } else if (office.view !== "counter" && name === "counter") {
    for (const section of counterSections()) { if (section.dataset.parked) section.hidden = section.dataset.parked === "hidden"; delete section.dataset.parked; }
  }
  for (const section of document.querySelectorAll("main > section[data-view]")) section.hidden = section.dataset.view !== name;
  for (const button of document.querySelectorAll("#nav button")) {
    if (button.dataset.view === name) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  office.view = name;
  notice("");
  const load = { today: loadToday, terminals: loadTerminalHealth, report: loadReport, cards: () => document.dispatchEvent(new Event("posplus:cards")) }[name];
  if (load) load();
  const title = document.querySelector(`main > section[data-view="${name}"] h2`);
  if (title) title.focus();
}

document.addEventListener("posplus:loggedin", (event) => {
  office.me = event.detail;
  const may = (permission) => (office.me.permissions || []).includes(permission);
  for (const button of document.querySelectorAll("#nav button")) button.hidden = Boolean(button.dataset.permission) && !may(button.dataset.permission);
  show("nav", true);
  office.view = "counter";
  for (const button of document.querySelectorAll("#nav button")) {
    if (button.dataset.view === "counter") button.setAttribute("aria-current", "page"); else button.removeAttribute("aria-current");
  }
  // Someone with no counter (a technician) starts on the payment links page.
  if (!may("chargeCard") && may("sendLinks")) openView("links");
});

document.addEventListener("posplus:loggedout", () => {
  office.me = null;
  office.view = "counter";
  show("nav", false);
  for (const section of document.querySelectorAll("main > section[data-view]")) section.hidden = true;
  for (const section of counterSections()) delete section.dataset.parked;
});

// ---- Money and tables ----------------------------------------------------------------------

// Exact text from integer minor units, by string arithmetic (never through a float).
function moneyText(minorUnits, currency) {
  const digits = String(Math.abs(minorUnits)).padStart(3, "0");
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = minorUnits < 0 ? "-" : "";
  return `${sign}${currency === "USD" ? "$" : `${currency} `}${whole}.${digits.slice(-2)}`;
}

// A table with a header row and body rows of text (or nodes), keeping its caption.
function fillTable(table, headers, rows) {
  const caption = table.querySelector("caption");
  table.replaceChildren();
  if (caption) table.append(caption);
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const text of headers) { const cell = document.createElement("th"); cell.scope = "col"; cell.textContent = text; headRow.append(cell); }
  head.append(headRow);
  const body = document.createElement("tbody");
  for (const row of rows) {
    const line = document.createElement("tr");
    row.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? "th" : "td");
      if (index === 0) cell.scope = "row";
      if (value instanceof Node) cell.append(value); else cell.textContent = value;
      line.append(cell);
    });
    body.append(line);
  }
  table.append(head, body);
}

// ---- Today's payments ----------------------------------------------------------------------

const totalsHeaders = ["", "Charges", "Taken", "Refunded", "Net", "Voided"];
const totalsRow = (line) => [line.label, String(line.charges), line.taken.formatted, line.refunded.formatted, line.net.formatted, String(line.voided)];

const operationWords = {
  sale: "Sale", keyedSale: "Keyed sale", achDebit: "Bank debit", tokenSale: "Saved-card sale", deposit: "Deposit",
  refund: "Refund", void: "Void", tokenize: "Card saved",
};

async function loadToday() {
  const [totals, list] = await Promise.all([api("GET", "/api/payments/totals?day=today"), api("GET", "/api/payments?day=today&limit=500")]);
  if (totals.status !== 200) { notice(errorText(totals, "Could not add up today's payments.")); return; }
  const day = totals.json;
  $("today-day").textContent = `${day.day} (${day.timeZone}): ${day.all.net.formatted} net — ${day.all.taken.formatted} taken in ${day.all.charges} charge${day.all.charges === 1 ? "" : "s"}, ${day.all.refunded.formatted} refunded.`;
  fillTable($("today-by-terminal"), ["Terminal"].concat(totalsHeaders.slice(1)), day.byTerminal.map(totalsRow).concat([totalsRow(day.all)]));
  fillTable($("today-by-method"), ["Way of paying"].concat(totalsHeaders.slice(1)), day.byMethod.map(totalsRow).concat([totalsRow(day.all)]));
  const notes = $("today-notes");
  notes.replaceChildren();
  const say = (text) => { const item = document.createElement("li"); item.textContent = text; notes.append(item); };
  if (day.all.charges === 0 && day.all.refunds === 0) say("No money moved today yet.");
  if (day.declined > 0) say(`${day.declined} declined: nothing was taken, so they are not in the totals.`);
  if (day.notSureYet > 0) say(`${day.notSureYet} not sure yet: posplus is finding out whether money moved; they are not in the totals until it knows.`);
  if (day.byMethod.some((line) => line.key === "ach" && line.charges > 0)) say("Bank debits (ACH) count once the bank accepts them; they settle in a few days and can still be returned.");
  if (day.otherCurrency > 0) say(`${day.otherCurrency} in another currency than ${day.currency}: not in the totals.`);
  if (list.status !== 200) { notice(errorText(list, "Could not list today's payments.")); return; }
  fillTable($("today-list"), ["Time", "What", "State", "Amount", "By", ""], (list.json.payments || []).map((payment) => {
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = `Details of payment ${payment.id}`;
    open.addEventListener("click", () => { openView("counter"); openPayment(payment.id); });
    const time = new Date(payment.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const what = `${operationWords[payment.operation] || payment.operation}${payment.invoiceNumber ? ` on #${payment.invoiceNumber}` : ""}${payment.card ? `, ${payment.card}` : ""}`;
    const amount = payment.captured.minorUnits > 0 ? payment.captured.formatted : payment.requested.formatted;
    return [time, what, stateWords[payment.state] || payment.state, amount, payment.operator, open];
  }));
}

// ---- Terminals' health ---------------------------------------------------------------------

const healthWords = { ready: "Ready", busy: "Busy", unreachable: "Cannot be reached", unknown: "Not known" };

async function loadTerminalHealth() {
  const list = $("terminal-list");
  const reply = await api("GET", "/api/terminals");
  list.replaceChildren();
  if (reply.status !== 200) { notice(errorText(reply, "Could not list the terminals.")); return; }
  const terminals = reply.json.terminals || [];
  if (terminals.length === 0) { const item = document.createElement("li"); item.textContent = "No terminal is set up yet."; list.append(item); }
  await Promise.all(terminals.map(async (terminal) => {
    const item = document.createElement("li");
    item.className = "terminal";
    const name = document.createElement("h3");
    name.textContent = terminal.name;
    const status = document.createElement("p");
    status.className = "health";
    status.textContent = "Asking…";
    const about = document.createElement("p");
    about.className = "help";
    about.textContent = `${terminal.driver.toUpperCase()} over ${terminal.connection}`;
    item.append(name, status, about);
    list.append(item);
    const health = await api("GET", `/api/terminals/${encodeURIComponent(terminal.name)}/health`);
    if (health.status !== 200) { status.textContent = errorText(health, "Could not ask it."); status.dataset.state = "unknown"; return; }
    const words = healthWords[health.json.state] || health.json.state;
    status.dataset.state = health.json.state;
    status.textContent = `${words}: ${health.json.detail}`;
    const facts = [health.json.model && `model ${health.json.model}`, health.json.serialNumber && `serial ${health.json.serialNumber}`,
      health.json.softwareVersion && `software ${health.json.softwareVersion}`].filter(Boolean);
    if (facts.length) about.textContent += ` · ${facts.join(" · ")}`;
  }));
}

// ---- The last reconcile report -------------------------------------------------------------

const classWords = {
  "missing-in-ledger": "Money taken that posplus has no record of",
  "missing-write-back": "Recorded in posplus but not in Jobber",
  "missing-at-processor": "posplus says approved, the processor or terminal has nothing",
  "amount-mismatch": "The amounts disagree",
  "currency-mismatch": "The currencies disagree",
  "split-mismatch": "The pieces do not add up",
  duplicate: "Counted twice",
  "reversed-outside": "Refunded or returned outside posplus",
  "paid-elsewhere": "Paid another way while a posplus link is still open",
};

async function loadReport() {
  const reply = await api("GET", "/api/reconcile/last");
  for (const id of ["report-items", "report-notes"]) $(id).replaceChildren();
  fillTable($("report-totals"), [], []);
  if (reply.status === 404) {
    $("report-when").textContent = errorText(reply, "No reconcile has run yet.");
    $("report-verdict").textContent = "";
    return;
  }
  if (reply.status !== 200) { notice(errorText(reply, "Could not read the last reconcile report.")); return; }
  const last = reply.json;
  const report = last.report;
  const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  $("report-when").textContent = `Run ${when(last.ranAt)} by ${last.actor}, covering ${when(report.since)} to ${when(report.until)}.`;
  const review = (report.items || []).filter((item) => classWords[item.kind]);
  $("report-verdict").textContent = review.length === 0
    ? "Everything matches: nothing to look at."
    : `${review.length} thing${review.length === 1 ? "" : "s"} to look at${last.applied ? `; ${last.applied} fixed by posplus itself` : ""}.`;
  fillTable($("report-totals"), ["Day", "posplus took", "posplus refunded", "posplus net", "Processor net (after fees)", "Terminals took", "Jobber recorded"],
    (report.totals || []).map((day) => [day.day, moneyText(day.ledger.grossMinor, day.currency), moneyText(day.ledger.refundsMinor, day.currency),
      moneyText(day.ledger.grossMinor - day.ledger.refundsMinor - day.ledger.disputesMinor - day.ledger.feesMinor, day.currency),
      moneyText(day.processor.grossMinor - day.processor.refundsMinor - day.processor.disputesMinor - day.processor.feesMinor, day.currency),
      moneyText(day.terminals.grossMinor, day.currency), moneyText(day.jobber.grossMinor, day.currency)]));
  if ((report.totals || []).length === 0) {
    const item = document.createElement("li");
    item.textContent = "No money moved in this window on any side read.";
    $("report-notes").append(item);
  }
  const items = $("report-items");
  if (review.length === 0) { const item = document.createElement("li"); item.textContent = "Nothing."; items.append(item); }
  for (const found of review) {
    const item = document.createElement("li");
    const what = document.createElement("p");
    what.className = "approval-summary";
    const invoice = found.invoiceNumber ? ` (invoice #${found.invoiceNumber})` : "";
    const difference = found.difference ? `, ${moneyText(found.difference.minorUnits, found.difference.currency)} apart` : "";
    what.textContent = `${classWords[found.kind]}${invoice}${difference}`;
    const why = document.createElement("p");
    why.textContent = `${found.explanation}${found.action ? " posplus can fix this by itself: the owner runs reconcile with --apply." : " A person needs to decide."}`;
    item.append(what, why);
    items.append(item);
  }
  for (const note of report.notes || []) { const item = document.createElement("li"); item.textContent = `Note: ${note}`; $("report-notes").append(item); }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("#nav button")) button.addEventListener("click", () => openView(button.dataset.view));
  $("today-refresh").addEventListener("click", loadToday);
  $("terminals-refresh").addEventListener("click", loadTerminalHealth);
});
