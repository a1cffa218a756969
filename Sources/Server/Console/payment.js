// posplus console: one payment's details, with Refund (part or all) and Void.
// Loaded after console.js; uses its api(), $, show() and errorText().
"use strict";

const detail = { payment: null, busy: false };

// One key per request (payment, what, amount), kept in this tab until the final answer.
function requestKey(what, paymentID, decimal) {
  const slot = `posplus-${what}:${paymentID}:${decimal}`;
  let key = sessionStorage.getItem(slot);
  if (!key) {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const random = Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => letters[byte % 26]).join("");
    key = `console-${what}-${paymentID}-${random}`;
    sessionStorage.setItem(slot, key);
  }
  return { key, slot };
}

const stateWords = {
  approved: "Approved", partiallyApproved: "Partly approved", declined: "Declined", voided: "Voided",
  refunded: "Refunded", partiallyRefunded: "Partly refunded", unknown: "Not sure yet", pending: "In progress",
  abandoned: "Not sent", settled: "Settled", returned: "Returned by the bank",
};

async function openPayment(id) {
  const reply = await api("GET", `/api/payments/${encodeURIComponent(id)}`);
  if (reply.status !== 200) { notice(errorText(reply, "Could not show that payment.")); return; }
  show("payment-result", false);
  showPayment(reply.json);
  show("payment", true);
  $("payment-title").focus();
}

function showPayment(payment) {
  detail.payment = payment;
  $("payment-title").textContent = `Payment ${payment.id}`;
  $("payment-state").textContent = stateWords[payment.state] || payment.state;
  $("payment-amount").textContent = payment.captured.formatted;
  $("payment-refunded").textContent = payment.refunded.formatted;
  $("payment-card").textContent = payment.card || "none";
  $("payment-auth").textContent = payment.authCode || "none";
  $("payment-summary").textContent = payment.summary || "";
  const list = $("payment-attempts");
  list.replaceChildren();
  for (const attempt of (payment.attempts || [])) {
    const item = document.createElement("li");
    item.textContent = `Attempt ${attempt.number}: ${attempt.outcome}${attempt.message ? ` (${attempt.message})` : ""}`;
    list.append(item);
  }
  showReceiptLink(payment);
  // Offer only what the server will do: a refund while money is left on a charge that holds
  // it; a void only before any refund and before the bank settles it (the ledger's rule).
  const left = payment.captured.minorUnits - payment.refunded.minorUnits;
  const takesMoney = !["void", "refund", "tokenize"].includes(payment.operation);
  const refundable = takesMoney && left > 0 && ["approved", "partiallyApproved", "partiallyRefunded", "settled"].includes(payment.state);
  const voidable = takesMoney && ["approved", "partiallyApproved"].includes(payment.state);
  show("refund-form", refundable);
  show("void-button", voidable);
  show("payment-actions", refundable || voidable);
}

// A "Receipt" link (a new tab with the printable page) for money that moved.
function showReceiptLink(payment) {
  let link = $("payment-receipt");
  if (!link) {
    link = Object.assign(document.createElement("a"), { id: "payment-receipt", target: "_blank", textContent: "Receipt" });
    $("payment-summary").after(link);
  }
  link.href = `/receipt?payment=${encodeURIComponent(payment.id)}`;
  link.hidden = !(payment.captured.minorUnits > 0 && payment.operation !== "tokenize");
}

function paymentResult(text, kind) {
  const box = $("payment-result");
  box.className = kind;
  box.textContent = text;
  show("payment-result", true);
}

async function act(what, decimal, path, body) {
  if (detail.busy || !detail.payment) return;
  detail.busy = true;
  const id = detail.payment.id;
  const { key, slot } = requestKey(what, id, decimal);
  paymentResult(what === "refund" ? "Refunding on the terminal…" : "Voiding on the terminal…", "waiting");
  const reply = await api("POST", path, body, { "Idempotency-Key": key });
  detail.busy = false;
  const code = reply.json.error && reply.json.error.code;
  if (reply.status >= 200 && reply.status < 300 && reply.status !== 202 && reply.json.payment) {
    sessionStorage.removeItem(slot);
    const done = reply.json.payment;
    // One sentence: the refreshed details below say the rest (state, amounts, card).
    const card = done.card ? ` to ${done.card}` : "";
    paymentResult(what === "refund" ? `Refunded ${done.captured.formatted}${card}.` : "Voided: the customer is not charged.", "approved");
    if (what === "void" && state.lastPaymentID === id) voidedOnTheCounter();
    const again = await api("GET", `/api/payments/${encodeURIComponent(id)}`);
    if (again.status === 200) showPayment(again.json);
  } else if (reply.status === 202 || code === "approval_required") {
    paymentResult(`Waiting for a manager: ${errorText(reply, "a manager must approve this first.")} Nothing was refunded yet.`, "waiting");
  } else if (code === "in_doubt") {
    paymentResult(`Not sure yet: ${errorText(reply, "")} Do not try again with another amount; press the same button again to see the answer.`, "in-doubt");
  } else {
    sessionStorage.removeItem(slot);
    paymentResult(errorText(reply, "It did not go through; nothing changed. Try again."), "failed");
  }
}

// The charge just taken on the counter was voided from its details: its outcome and the
// invoice's balance must no longer say it was paid, and the counter may charge again.
function voidedOnTheCounter() {
  $("outcome").className = "failed";
  $("outcome-title").textContent = "Voided";
  $("outcome-text").textContent = "This payment was voided: the customer is not charged and the invoice is owed as before.";
  if (state.invoice) $("invoice-balance").textContent = state.invoice.balance.formatted;
  $("charge-button").disabled = false;
}

function refund(event) {
  event.preventDefault();
  const typed = $("refund-amount").value.trim().replace(/^\$/, "").replace(/,/g, "");
  const body = {};
  if (typed !== "") {
    if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(typed) || Number(typed) <= 0) {
      paymentResult("Type the amount as numbers, for example 20.00, or leave it empty to refund all.", "failed");
      $("refund-amount").focus();
      return;
    }
    body.amount = { decimal: typed, currency: detail.payment.captured.currency };
  }
  act("refund", typed || "all", `/api/payments/${detail.payment.id}/refunds`, body);
}

function voidPayment() {
  act("void", "all", `/api/payments/${detail.payment.id}/void`, {});
}

document.addEventListener("DOMContentLoaded", () => {
  $("refund-form").addEventListener("submit", refund);
  $("void-button").addEventListener("click", voidPayment);
  $("payment-open").addEventListener("click", () => { if (state.lastPaymentID) openPayment(state.lastPaymentID); });
});
