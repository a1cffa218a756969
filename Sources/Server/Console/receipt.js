// posplus console: one payment's receipt, ready to print or send (/receipt?payment=ID).
// The text comes from GET /api/payments/{id}/receipt and is shown with textContent, never as HTML.
"use strict";

async function loadReceipt() {
  const status = document.getElementById("receipt-status");
  const id = new URLSearchParams(location.search).get("payment") || "";
  if (!/^[0-9]+$/.test(id)) { status.textContent = "No payment given: open a receipt from a payment's details."; return; }
  let reply;
  try {
    reply = await fetch(`/api/payments/${id}/receipt`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch (error) {
    status.textContent = "posplus did not answer. Check that the service is running, then reload.";
    return;
  }
  let json = {};
  try { json = await reply.json(); } catch (error) { json = {}; }
  if (reply.status !== 200) {
    status.textContent = (json.error && json.error.message) || `The receipt could not be shown (HTTP ${reply.status}).`;
    return;
  }
  const receipt = document.getElementById("receipt");
  receipt.textContent = json.text;
  receipt.hidden = false;
  status.textContent = "";
  document.title = `Receipt for payment ${json.payment} — posplus`;
  document.getElementById("send").hidden = false;
}

// Sends the receipt by the client's preferred channel (Jobber's email or phone) through the
// outbox: POST /api/payments/{id}/receipt/send with the session's CSRF token, read from
// /api/me as the console does. One click queues one message; the button stays off after it.
async function sendReceipt() {
  const button = document.getElementById("send");
  const said = document.getElementById("receipt-sent");
  const id = new URLSearchParams(location.search).get("payment") || "";
  const say = (text) => { said.textContent = text; said.hidden = false; };
  button.disabled = true;
  try {
    const me = await fetch("/api/me", { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const who = me.status === 200 ? await me.json() : {};
    if (!who.csrfToken) { say("Log in to the console again, then reload this page."); button.disabled = false; return; }
    const reply = await fetch(`/api/payments/${id}/receipt/send`, {
      method: "POST", credentials: "same-origin", body: "{}",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": who.csrfToken },
    });
    let json = {};
    try { json = await reply.json(); } catch (error) { json = {}; }
    if (reply.status !== 202) {
      say((json.error && json.error.message) || `The receipt could not be sent (HTTP ${reply.status}).`);
      button.disabled = false;
      return;
    }
    say("Queued: posplus sends it to the customer's preferred email or phone in a moment.");
  } catch (error) {
    say("posplus did not answer. Check that the service is running, then try again.");
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("print").addEventListener("click", () => window.print());
  document.getElementById("send").addEventListener("click", sendReceipt);
  loadReceipt();
});
