// posplus console: one payment's receipt, ready to print (/receipt?payment=ID).
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
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("print").addEventListener("click", () => window.print());
  loadReceipt();
});
