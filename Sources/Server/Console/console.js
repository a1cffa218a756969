// posplus console: the counter's page. Plain script, no framework; it speaks only the JSON API
// under /api (the same logins, CSRF tokens and idempotency keys a script uses).
"use strict";

const state = { me: null, invoice: null, busy: false };
const $ = (id) => document.getElementById(id);

function show(id, visible) { $(id).hidden = !visible; }

function notice(text) {
  $("notice").textContent = text || "";
  show("notice", Boolean(text));
}

// One request to the API. State changes carry the session's CSRF token; answers are JSON.
async function api(method, path, body, extraHeaders) {
  const headers = Object.assign({ Accept: "application/json" }, extraHeaders || {});
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.me && state.me.csrfToken) headers["X-CSRF-Token"] = state.me.csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    return { status: 0, json: { error: { code: "offline", message: "posplus did not answer. Check that the service is running, then try again." } } };
  }
  let json = {};
  try { json = await response.json(); } catch (error) { json = {}; }
  return { status: response.status, json };
}

function errorText(reply, fallback) {
  return (reply.json && reply.json.error && reply.json.error.message) || fallback;
}

// ---- Logging in and out -------------------------------------------------------------------

async function start() {
  const reply = await api("GET", "/api/me");
  if (reply.status === 200 && reply.json.csrfToken) loggedIn(reply.json);
  else showLogin();
}

function showLogin() {
  state.me = null;
  ["who", "approvals", "find", "invoice", "charge", "payment"].forEach((id) => show(id, false));
  show("login", true);
  $("login-name").focus();
  document.dispatchEvent(new Event("posplus:loggedout"));
}

function loggedIn(me) {
  state.me = me;
  $("who-name").textContent = `${me.staff} (${me.role})`;
  show("who", true);
  show("login", false);
  const may = (permission) => (me.permissions || []).includes(permission);
  // Finding an invoice here is for charging it on a counter terminal; a technician finds
  // theirs on the links page (link.js), which listens for the event below.
  show("find", may("chargeCard"));
  show("approvals", may("approve"));
  if (may("approve")) loadApprovals();
  if (may("chargeCard")) $("find-number").focus();
  document.dispatchEvent(new CustomEvent("posplus:loggedin", { detail: me }));
}

async function logIn(event) {
  event.preventDefault();
  notice("");
  const reply = await api("POST", "/api/session", { name: $("login-name").value.trim(), password: $("login-password").value });
  $("login-password").value = "";
  if (reply.status === 200) loggedIn(reply.json);
  else notice(errorText(reply, "That name and password did not work. Try again, or ask a manager to reset your password."));
}

async function logOut() {
  await api("DELETE", "/api/session");
  showLogin();
}

// ---- The approvals queue (managers and owners) ----------------------------------------------

async function loadApprovals() {
  const list = $("approval-list");
  const reply = await api("GET", "/api/approvals");
  list.replaceChildren();
  const waiting = reply.status === 200 ? reply.json.approvals || [] : [];
  if (reply.status !== 200) notice(errorText(reply, "Could not list what waits for a manager."));
  if (waiting.length === 0) {
    const item = document.createElement("li");
    item.textContent = "Nothing is waiting.";
    list.append(item);
  }
  for (const approval of waiting) {
    const item = document.createElement("li");
    item.className = "approval";
    const what = document.createElement("p");
    what.className = "approval-summary";
    what.textContent = approval.summary.charAt(0).toUpperCase() + approval.summary.slice(1);
    const why = document.createElement("p");
    why.textContent = `Asked by ${approval.requestedBy}: ${approval.reason}.`;
    item.append(what, why);
    for (const [verb, label] of [["approve", "Approve"], ["deny", "Deny"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${label} #${approval.id}`;
      button.setAttribute("aria-label", `${label} request ${approval.id}: ${approval.summary}`);
      button.addEventListener("click", () => decide(approval.id, verb));
      item.append(button, " ");
    }
    list.append(item);
  }
}

async function decide(id, verb) {
  notice("");
  const note = $("approval-note").value.trim();
  const reply = await api("POST", `/api/approvals/${id}/${verb}`, note ? { note } : {});
  const result = $("approval-result");
  if (reply.status === 200 && verb === "deny") {
    result.textContent = `Denied request ${id}; it will not run.`;
  } else if (reply.json.approval && reply.json.payment) {
    const payment = reply.json.payment;
    const words = reply.status === 200 ? "it ran" : "it ran, but see the answer";
    result.textContent = `Approved request ${id}; ${words}: ${payment.summary}`;
  } else if (reply.json.approval && reply.json.link) {
    const link = reply.json.link;
    result.textContent = `Approved request ${id}; the link for ${link.amount.formatted} was sent to the customer.`;
  } else if (reply.json.approval && reply.json.planID) {
    result.textContent = `Approved request ${id}; payment plan ${reply.json.planID} is scheduled.`;
  } else if (reply.json.approval && reply.json.outcome) {
    // A decline's step or a reminder that ran and made nothing: the invoice was paid meanwhile.
    result.textContent = `Approved request ${id}: ${reply.json.outcome}`;
  } else {
    result.textContent = errorText(reply, `Request ${id} could not be decided.`);
  }
  show("approval-result", true);
  $("approval-note").value = "";
  loadApprovals();
}

// ---- Finding an invoice -------------------------------------------------------------------

// A number (1043, #1043) is looked up; anything else is a client's name to search for.
async function findInvoice(event) {
  if (event) event.preventDefault();
  notice("");
  show("find-results", false);
  const typed = $("find-number").value.trim();
  const number = typed.replace(/^#/, "");
  if (!/^[0-9]{1,32}$/.test(number)) { searchInvoices(typed); return; }
  const reply = await api("GET", `/api/invoices/${encodeURIComponent(number)}`);
  if (reply.status !== 200) {
    show("invoice", false); show("charge", false);
    notice(errorText(reply, `Invoice #${number} was not found.`));
    return;
  }
  const invoice = reply.json.invoice || reply.json;
  state.invoice = invoice;
  $("invoice-title").textContent = `Invoice #${invoice.number}`;
  $("invoice-client").textContent = invoice.clientName;
  const status = invoice.status.replace(/_/g, " ");
  $("invoice-status").textContent = invoice.payable ? `${status} (can be charged)` : `${status} (nothing to charge)`;
  $("invoice-total").textContent = invoice.total.formatted;
  $("invoice-balance").textContent = invoice.balance.formatted;
  show("invoice", true);
  showChargePanel(invoice);
  document.dispatchEvent(new CustomEvent("posplus:invoice", { detail: invoice }));
  loadOtherInvoices(invoice);
  loadTerminals();
}

async function searchInvoices(text) {
  if (text.length < 2) { notice("Type the invoice number, for example 1043, or at least two letters of the client's name."); return; }
  const reply = await api("GET", `/api/invoices?search=${encodeURIComponent(text)}`);
  const list = $("find-results");
  list.replaceChildren();
  const found = reply.status === 200 ? reply.json.invoices || [] : [];
  if (reply.status !== 200) { notice(errorText(reply, "Could not search the invoices.")); return; }
  if (found.length === 0) { notice(`No invoice found for "${text}". Check the spelling, or type the invoice number.`); return; }
  for (const invoice of found) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    const status = invoice.status.replace(/_/g, " ");
    button.textContent = `#${invoice.number}: ${invoice.clientName}, ${invoice.balance.formatted} due (${status})`;
    button.addEventListener("click", () => { $("find-number").value = invoice.number; findInvoice(); });
    item.append(button);
    list.append(item);
  }
  show("find-results", true);
  list.querySelector("button").focus();
}

async function loadOtherInvoices(invoice) {
  const list = $("other-invoices");
  list.replaceChildren();
  const reply = await api("GET", `/api/invoices?client=${encodeURIComponent(invoice.clientID)}`);
  const others = reply.status === 200 ? (reply.json.invoices || []).filter((other) => other.number !== invoice.number) : [];
  if (others.length === 0) {
    const item = document.createElement("li");
    item.textContent = reply.status === 200 ? "None." : errorText(reply, "Could not list them.");
    list.append(item);
    return;
  }
  for (const other of others) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `#${other.number}: ${other.balance.formatted} due`;
    button.addEventListener("click", () => { $("find-number").value = other.number; findInvoice(); });
    item.append(button);
    list.append(item);
  }
}

async function loadTerminals() {
  const select = $("charge-terminal");
  const reply = await api("GET", "/api/terminals");
  const previous = select.value;
  select.replaceChildren();
  for (const terminal of (reply.json.terminals || [])) {
    const option = document.createElement("option");
    option.value = terminal.name;
    option.textContent = terminal.name;
    select.append(option);
  }
  if (previous) select.value = previous;
  if (reply.status !== 200) notice(errorText(reply, "Could not list the terminals."));
  // Charge waits for the list: pressed before it, the empty required picker would silently
  // stop the form (a fast click, or a slow counter PC, did nothing at all).
  $("charge-button").disabled = false;
}

// ---- The charge panel ---------------------------------------------------------------------

function showChargePanel(invoice) {
  show("charge", invoice.payable);
  show("progress", false);
  show("outcome", false);
  show("payment", false);
  $("charge-currency").textContent = invoice.balance.currency;
  $("charge-amount").value = invoice.balance.decimal;
  $("charge-method").value = "card";
  chooseMethod();
  $("charge-button").disabled = true;  // until loadTerminals has filled the picker
}

// One key per order: the same invoice, amount and terminal reuse the key kept for this tab
// until the order has its final answer, so a double click or a reload returns the same payment.
function keyFor(order) {
  const slot = `posplus-charge:${order.invoice}:${order.decimal}:${order.terminal}:${order.method}`;
  let key = sessionStorage.getItem(slot);
  if (!key) {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const random = Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => letters[byte % 26]).join("");
    key = `console-${order.invoice}-${random}`;
    sessionStorage.setItem(slot, key);
  }
  return { key, slot };
}

const stageWords = {
  sent: "Sent to the terminal…",
  waitingForCard: "Waiting for the card: ask the customer to insert, tap or swipe.",
  answered: "The terminal answered.",
  failed: "It could not be sent.",
};

// Opens the live status stream before the charge is sent; resolves once it is open (or after a
// second: the stream replays what happened when it opens late).
function follow(key) {
  const source = new EventSource(`/api/charges/${encodeURIComponent(key)}/events`);
  source.addEventListener("progress", (event) => {
    let progress;
    try { progress = JSON.parse(event.data); } catch (error) { return; }
    $("progress-text").textContent = stageWords[progress.stage] || progress.stage;
    show("cancel-button", progress.stage === "waitingForCard" || progress.stage === "sent");
    if (progress.stage === "answered" || progress.stage === "failed") { show("cancel-button", false); source.close(); }
  });
  return new Promise((resolve) => {
    const done = () => resolve(source);
    source.addEventListener("open", done, { once: true });
    source.addEventListener("error", done, { once: true });
    setTimeout(done, 1000);
  });
}

async function charge(event) {
  event.preventDefault();
  if (state.busy || !state.invoice) return;
  notice("");
  const invoice = state.invoice;
  const decimal = $("charge-amount").value.trim().replace(/^\$/, "").replace(/,/g, "");
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(decimal) || Number(decimal) <= 0) {
    notice("Type the amount as numbers, for example 120.00.");
    $("charge-amount").focus();
    return;
  }
  const terminal = $("charge-terminal").value;
  const method = $("charge-method").value;
  const savedCard = method.startsWith("saved:") ? Number(method.slice(6)) : null;
  if (!terminal && !savedCard) { notice("Pick the terminal the customer is at."); return; }
  state.busy = true;
  $("charge-button").disabled = true;
  show("outcome", false);
  const order = { invoice: invoice.number, decimal, terminal: savedCard ? "" : terminal, method };
  const { key, slot } = keyFor(order);
  state.key = key;
  // A saved card is charged where it was saved: the server picks the channel.
  const body = savedCard ? { invoice: invoice.number, method: "savedCard", cardID: savedCard } : { invoice: invoice.number, terminal };
  if (method === "keyed") body.method = "keyed";
  if (decimal !== invoice.balance.decimal) {
    body.amount = { decimal, currency: invoice.balance.currency };
    body.intent = "partial";
  }
  $("progress-text").textContent = stageWords.sent;
  show("progress", true);
  const source = await follow(key);
  const reply = await api("POST", "/api/charges", body, { "Idempotency-Key": key });
  source.close();
  show("progress", false);
  show("cancel-button", false);
  state.busy = false;
  const final = showOutcome(reply);
  if (final) sessionStorage.removeItem(slot);
  $("charge-button").disabled = final === "approved";
}

// What happened, in words for the counter, and what to do next. Returns the final outcome's
// name, or null while the order is not finished (in doubt, waiting for a manager).
function showOutcome(reply) {
  const payment = reply.json.payment;
  const code = reply.json.error && reply.json.error.code;
  let kind, title, text;
  if (reply.status === 200 && payment && payment.state === "partiallyApproved") {
    kind = "partial"; title = `Partly approved: ${payment.captured.formatted} taken`;
    text = `${payment.stillDue ? payment.stillDue.formatted : "The rest"} is still due. Ask for another card or another way to pay the rest.`;
  } else if (reply.status === 200 && payment) {
    kind = "approved"; title = `Approved: ${payment.captured.formatted}`;
    text = payment.summary || "";
  } else if (code === "declined") {
    kind = "declined"; title = "Declined"; text = errorText(reply, "");
  } else if (code === "in_doubt") {
    kind = "in-doubt"; title = "Not sure yet";
    text = `${errorText(reply, "")} Do not charge again: press Charge once more with the same amount, or reload, to see the answer.`;
  } else if (code === "approval_required") {
    kind = "waiting"; title = "Waiting for a manager"; text = errorText(reply, "A manager must approve this first.");
  } else if (code === "abandoned") {
    kind = "failed"; title = "Not sent"; text = errorText(reply, "Nothing was charged.");
  } else {
    kind = "failed"; title = "Not charged"; text = errorText(reply, "Something went wrong; nothing was charged. Try again.");
  }
  const box = $("outcome");
  box.className = kind;
  $("outcome-title").textContent = title;
  $("outcome-text").textContent = text;
  show("outcome", true);
  state.lastPaymentID = payment ? payment.id : null;
  show("payment-open", Boolean(payment));
  if (kind === "approved" && payment.captured.minorUnits >= state.invoice.balance.minorUnits) {
    $("invoice-balance").textContent = `${state.invoice.balance.formatted}, paid by this payment`;
  }
  return kind === "in-doubt" || kind === "waiting" ? null : kind;
}

// A saved card is charged where it was saved, so the terminal picker goes away with it.
function chooseMethod() {
  const onFile = $("charge-method").value.startsWith("saved:");
  show("charge-terminal", !onFile);
  document.querySelector('label[for="charge-terminal"]').hidden = onFile;
}

async function cancelCharge() {
  if (!state.key) return;
  $("cancel-button").disabled = true;
  const reply = await api("POST", `/api/charges/${encodeURIComponent(state.key)}/cancel`);
  $("cancel-button").disabled = false;
  $("progress-text").textContent = reply.status === 202 ? "Asked the terminal to cancel…" : errorText(reply, "Could not cancel.");
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", logIn);
  $("logout").addEventListener("click", logOut);
  $("find-form").addEventListener("submit", findInvoice);
  $("charge-form").addEventListener("submit", charge);
  $("cancel-button").addEventListener("click", cancelCharge);
  $("charge-method").addEventListener("change", chooseMethod);
  start();
});
