// posplus console: payment links, the technician's page (phone-sized first). Pick the job's
// invoice, send a link by text or email, see one's own links and whether each is paid, cancel one.
// Loaded after console.js; uses its api(), $, show() and errorText(), and starts when
// console.js announces a login ("posplus:loggedin") and stops at "posplus:loggedout".
"use strict";

// waitingFor: the approval the last send is held under, so its banner can say once it is decided.
const links = { invoice: null, busy: false, timer: null, me: null, waitingFor: null };

// A link still open, or a request still waiting for a manager, may change without the page
// doing anything (the customer pays; a manager decides), so the list is read again every few
// seconds while the page is visible and something can still change.
const LINKS_REFRESH_MS = 4000;

function linkAmountText(amount) { return amount ? amount.formatted : ""; }

function linkMessage(text, kind) {
  const box = $("link-result");
  box.className = kind || "";
  box.textContent = text;
  show("link-result", Boolean(text));
}

// ---- Finding the job's invoice ----------------------------------------------------------------

async function findLinkInvoice(event) {
  event.preventDefault();
  linkMessage("");
  const typed = $("link-find").value.trim();
  const list = $("link-invoices");
  list.replaceChildren();
  show("link-send-form", false);
  if (typed === "") { linkMessage("Type the invoice number or the client's name.", "failed"); return; }
  let invoices = [];
  const number = typed.replace(/^#/, "");
  if (/^[0-9A-Za-z-]{1,32}$/.test(number) && /[0-9]/.test(number)) {
    const reply = await api("GET", `/api/invoices/${encodeURIComponent(number)}`);
    if (reply.status === 200) invoices = [reply.json.invoice || reply.json];
    else { linkMessage(errorText(reply, `Invoice #${number} was not found.`), "failed"); return; }
  } else {
    const reply = await api("GET", `/api/invoices?search=${encodeURIComponent(typed)}`);
    if (reply.status !== 200) { linkMessage(errorText(reply, "Could not search the invoices."), "failed"); return; }
    invoices = reply.json.invoices || [];
  }
  const payable = invoices.filter((invoice) => invoice.payable);
  if (payable.length === 0) {
    linkMessage(invoices.length ? "Nothing is owed on the invoices found." : `No invoice found for "${typed}".`, "failed");
    return;
  }
  for (const invoice of payable) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-invoice";
    button.textContent = `#${invoice.number} · ${invoice.clientName} · ${invoice.balance.formatted} due`;
    button.setAttribute("aria-label", `Invoice ${invoice.number} for ${invoice.clientName}, ${invoice.balance.formatted} due`);
    button.addEventListener("click", () => pickLinkInvoice(invoice));
    item.append(button);
    list.append(item);
  }
  if (payable.length === 1) pickLinkInvoice(payable[0]);
}

function pickLinkInvoice(invoice) {
  links.invoice = invoice;
  $("link-invoice-title").textContent = `Invoice #${invoice.number}`;
  $("link-invoice-detail").textContent = `${invoice.clientName}: ${invoice.balance.formatted} due of ${invoice.total.formatted}.`;
  $("link-currency").textContent = invoice.balance.currency;
  $("link-amount").value = invoice.balance.decimal;
  show("link-send-form", true);
  $("link-send").disabled = false;
  $("link-to").focus();
}

// Text message or email: the label and the keyboard the phone shows follow the choice.
function linkChannelChanged() {
  const bySMS = $("link-by-sms").checked;
  $("link-to-label").textContent = bySMS ? "Customer's mobile number" : "Customer's email address";
  $("link-to").type = bySMS ? "tel" : "email";
  $("link-to").autocomplete = bySMS ? "tel" : "email";
}

// ---- Sending ------------------------------------------------------------------------------

// One key per request (invoice, amount, how, to whom), kept in this tab until a final answer,
// so a double tap or a retry after a dropped connection sends one link.
function linkKey(request) {
  const slot = `posplus-link:${request.invoice}:${request.decimal}:${request.by}:${request.to}`;
  let key = sessionStorage.getItem(slot);
  if (!key) {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const random = Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => letters[byte % 26]).join("");
    key = `console-link-${request.invoice}-${random}`;
    sessionStorage.setItem(slot, key);
  }
  return { key, slot };
}

async function sendLink(event) {
  event.preventDefault();
  if (links.busy || !links.invoice) return;
  const invoice = links.invoice;
  const decimal = $("link-amount").value.trim().replace(/^\$/, "").replace(/,/g, "");
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(decimal) || Number(decimal) <= 0) {
    linkMessage("Type the amount as numbers, for example 120.00.", "failed");
    $("link-amount").focus();
    return;
  }
  const by = $("link-by-sms").checked ? "sms" : "email";
  const to = $("link-to").value.trim();
  if (to === "") {
    linkMessage(by === "sms" ? "Type the customer's mobile number." : "Type the customer's email address.", "failed");
    $("link-to").focus();
    return;
  }
  links.busy = true;
  $("link-send").disabled = true;
  linkMessage("Sending…", "waiting");
  const body = { invoice: invoice.number, [by]: to };
  if (decimal !== invoice.balance.decimal) body.amount = { decimal, currency: invoice.balance.currency };
  const { key, slot } = linkKey({ invoice: invoice.number, decimal, by, to });
  const reply = await api("POST", "/api/links", body, { "Idempotency-Key": key });
  links.busy = false;
  $("link-send").disabled = false;
  const how = by === "sms" ? `texted to ${to}` : `emailed to ${to}`;
  if (reply.status === 200) {
    sessionStorage.removeItem(slot);
    linkMessage(`Sent: a link for ${reply.json.amount.formatted} on invoice #${invoice.number}, ${how}.`, "approved");
    show("link-send-form", false);
    $("link-invoices").replaceChildren();
  } else if (reply.status === 202) {
    sessionStorage.removeItem(slot);
    const approval = reply.json.approval || {};
    links.waitingFor = approval.id || null;
    const why = approval.reason ? ` (${approval.reason})` : "";
    linkMessage(`Waiting for a manager: this link needs a manager's OK first${why}. Nothing has been sent to the customer yet; it goes out as soon as a manager approves it.`, "waiting");
    show("link-send-form", false);
    $("link-invoices").replaceChildren();
  } else {
    if (reply.status >= 400 && reply.status < 500) sessionStorage.removeItem(slot);
    linkMessage(errorText(reply, "The link was not sent. Try again."), "failed");
  }
  loadLinks();
}

// ---- My links ----------------------------------------------------------------------------

const linkStateWords = {
  open: "Not paid yet", paid: "Paid", cancelled: "Cancelled", expired: "Expired",
};

function linkPurpose(link) {
  return link.invoiceNumber ? `Invoice #${link.invoiceNumber}` : `Deposit on quote #${link.quoteNumber || link.quoteID}`;
}

async function loadLinks() {
  clearTimeout(links.timer);
  if (!links.me) return;
  const reply = await api("GET", "/api/links?mine=true");
  const list = $("link-list");
  if (reply.status !== 200) {
    if (reply.status === 401) return;
    linkMessage(errorText(reply, "Could not list your links."), "failed");
    return;
  }
  list.replaceChildren();
  const held = reply.json.held || [];
  const sent = reply.json.links || [];
  for (const request of held) list.append(heldItem(request));
  for (const link of sent) list.append(linkItem(link));
  if (held.length === 0 && sent.length === 0) {
    const item = document.createElement("li");
    item.textContent = "You have not sent any links yet.";
    list.append(item);
  }
  if (links.waitingFor) followDecision(held.find((request) => request.id === links.waitingFor));
  const canChange = sent.some((link) => link.state === "open") || held.some((request) => request.state === "waiting");
  clearTimeout(links.timer);
  if (canChange && !document.hidden) links.timer = setTimeout(loadLinks, LINKS_REFRESH_MS);
}

// The banner of a link that waited for a manager, once one decided: gone from the held list
// means approved and sent (it is now among the links); denied says who said no.
function followDecision(request) {
  if (request && request.state === "waiting") return;
  links.waitingFor = null;
  if (!request) linkMessage("A manager approved it: the link was sent to the customer.", "approved");
  else linkMessage(`Not sent: ${request.decidedBy || "a manager"} said no${request.note ? ` (${request.note})` : ""}.`, "failed");
}

function linkItem(link) {
  const item = document.createElement("li");
  item.className = `link-item link-${link.state}`;
  const what = document.createElement("p");
  what.className = "link-what";
  what.textContent = `${linkPurpose(link)} · ${linkAmountText(link.amount)}`;
  const state = document.createElement("p");
  state.className = "link-state";
  state.textContent = linkStateWords[link.state] || link.state;
  item.append(what, state);
  if (link.state === "open") {
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Cancel link";
    cancel.setAttribute("aria-label", `Cancel the link for ${linkPurpose(link)}, ${linkAmountText(link.amount)}`);
    cancel.addEventListener("click", () => cancelLink(link, cancel));
    item.append(cancel);
  }
  return item;
}

function heldItem(request) {
  const item = document.createElement("li");
  item.className = `link-item link-held-${request.state}`;
  const what = document.createElement("p");
  what.className = "link-what";
  what.textContent = `Invoice #${request.invoiceNumber || "-"} · ${linkAmountText(request.amount)}`;
  const state = document.createElement("p");
  state.className = "link-state";
  state.textContent = request.state === "waiting"
    ? "Waiting for a manager: not sent yet"
    : `Not sent: ${request.decidedBy || "a manager"} said no${request.note ? ` (${request.note})` : ""}`;
  item.append(what, state);
  return item;
}

async function cancelLink(link, button) {
  if (!window.confirm(`Cancel the link for ${linkPurpose(link)}? The customer will no longer be able to pay with it.`)) return;
  button.disabled = true;
  const reply = await api("POST", `/api/links/${link.id}/cancel`);
  if (reply.status === 200) linkMessage(`Cancelled the link for ${linkPurpose(link)}.`, "approved");
  else linkMessage(errorText(reply, "Could not cancel that link."), "failed");
  loadLinks();
}

document.addEventListener("posplus:loggedin", (event) => {
  const me = event.detail;
  links.me = (me.permissions || []).includes("sendLinks") ? me : null;
  // Whether the page shows is office.js's page menu ("Payment links"); a technician, who has no
  // counter, starts on it.
  if (!links.me) return;
  loadLinks();
  if (!(me.permissions || []).includes("chargeCard")) $("link-find").focus();
});

document.addEventListener("posplus:loggedout", () => {
  clearTimeout(links.timer);
  links.me = null;
  links.waitingFor = null;
  links.invoice = null;
  show("links", false);
});

document.addEventListener("visibilitychange", () => { if (!document.hidden && links.me) loadLinks(); });

document.addEventListener("DOMContentLoaded", () => {
  $("link-find-form").addEventListener("submit", findLinkInvoice);
  $("link-send-form").addEventListener("submit", sendLink);
  $("link-by-sms").addEventListener("change", linkChannelChanged);
  $("link-by-email").addEventListener("change", linkChannelChanged);
  $("links-refresh").addEventListener("click", loadLinks);
});
