// posplus console: a client's saved cards — list and remove them on their own page, and offer
// them in the charge panel's "How the customer pays". Loaded after console.js; uses its api(), $,
// show(), notice() and errorText(). Never sees a card number: brand, last 4 and expiry only.
"use strict";

const saved = { client: null, invoiceClient: null, busy: false };

function cardWords(card) {
  const what = card.kind === "bankAccount" ? `Bank account •••• ${card.last4}` : `${card.brand} •••• ${card.last4}`;
  const expiry = card.expiryMonth ? `, expires ${String(card.expiryMonth).padStart(2, "0")}/${card.expiryYear}` : "";
  return `${what}${expiry}${card.expired ? " (expired)" : ""}`;
}

async function cardsOf(clientID) {
  const reply = await api("GET", `/api/cards?client=${encodeURIComponent(clientID)}`);
  return { ok: reply.status === 200, cards: reply.status === 200 ? reply.json.cards || [] : [], reply };
}

// ---- The charge panel: the invoice's client's saved cards as ways to pay --------------------

document.addEventListener("posplus:invoice", async (event) => {
  const invoice = event.detail;
  saved.invoiceClient = { id: invoice.clientID, name: invoice.clientName };
  const select = $("charge-method");
  for (const option of Array.from(select.options)) if (option.value.startsWith("saved:")) option.remove();
  const may = state.me && (state.me.permissions || []).includes("manageCards");
  if (!may) return;
  const { cards } = await cardsOf(invoice.clientID);
  for (const card of cards.filter((one) => !one.expired && one.kind === "card")) {
    const option = document.createElement("option");
    option.value = `saved:${card.id}`;
    option.textContent = `Saved card: ${cardWords(card)}`;
    select.append(option);
  }
});

// ---- The saved cards page -------------------------------------------------------------------

// Opening the page shows the cards of the client of the invoice on the counter, if any.
document.addEventListener("posplus:cards", () => {
  $("cards-result").hidden = true;
  if (!saved.client && saved.invoiceClient) showClient(saved.invoiceClient);
  else if (saved.client) showClient(saved.client);
  else $("cards-client").focus();
});

document.addEventListener("posplus:loggedout", () => {
  saved.client = null;
  saved.invoiceClient = null;
  $("cards-list").replaceChildren();
  $("cards-terminal").replaceChildren();
  show("cards-save-form", false);
  show("cards-for", false);
  show("cards-clients", false);
});

async function findClient(event) {
  event.preventDefault();
  notice("");
  const text = $("cards-client").value.trim();
  if (text.length < 2) { notice("Type at least two letters of the client's name."); return; }
  const reply = await api("GET", `/api/invoices?search=${encodeURIComponent(text)}`);
  if (reply.status !== 200) { notice(errorText(reply, "Could not search for the client.")); return; }
  const clients = new Map();
  for (const invoice of reply.json.invoices || []) clients.set(invoice.clientID, invoice.clientName);
  const list = $("cards-clients");
  list.replaceChildren();
  if (clients.size === 0) { notice(`No client found for "${text}". Check the spelling.`); show("cards-clients", false); return; }
  for (const [id, name] of clients) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Saved cards of ${name}`;
    button.addEventListener("click", () => { show("cards-clients", false); showClient({ id, name }); });
    item.append(button);
    list.append(item);
  }
  show("cards-clients", true);
  if (clients.size === 1) list.querySelector("button").click();
  else list.querySelector("button").focus();
}

async function showClient(client) {
  saved.client = client;
  $("cards-for").textContent = `Saved cards of ${client.name}`;
  show("cards-for", true);
  const list = $("cards-list");
  list.replaceChildren();
  show("cards-save-form", true);
  loadCardTerminals();
  const { ok, cards, reply } = await cardsOf(client.id);
  if (!ok) { notice(errorText(reply, "Could not list the saved cards.")); return; }
  if (cards.length === 0) {
    const item = document.createElement("li");
    item.textContent = "None saved. A card is saved at the terminal when the client agrees.";
    list.append(item);
  }
  for (const card of cards) {
    const item = document.createElement("li");
    item.className = "saved-card";
    const words = document.createElement("span");
    words.textContent = `${cardWords(card)} (saved on ${card.processor}) `;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${cardWords(card)}`);
    // A second, explicit step: removing cannot be undone (the client must present the card again).
    remove.addEventListener("click", () => {
      remove.hidden = true;
      const sure = document.createElement("button");
      sure.type = "button";
      sure.textContent = `Yes, remove ${card.brand} •••• ${card.last4}`;
      const keep = document.createElement("button");
      keep.type = "button";
      keep.textContent = "Keep it";
      keep.addEventListener("click", () => { sure.remove(); keep.remove(); remove.hidden = false; remove.focus(); });
      sure.addEventListener("click", () => removeCard(card));
      item.append(sure, " ", keep);
      sure.focus();
    });
    item.append(words, remove);
    list.append(item);
  }
}

// Saving is a request to the terminal (the client inserts or taps the card; nothing is charged).
// One key per client and terminal, kept in this tab until the final answer, as for a charge.
async function saveCard(event) {
  event.preventDefault();
  if (!saved.client || saved.busy) return;
  const terminal = $("cards-terminal").value;
  if (!terminal) { notice("Pick the terminal the client is at."); return; }
  const slot = `posplus-save-card:${saved.client.id}:${terminal}`;
  let key = sessionStorage.getItem(slot);
  if (!key) {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    key = `console-card-${Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => letters[byte % 26]).join("")}`;
    sessionStorage.setItem(slot, key);
  }
  saved.busy = true;
  $("cards-save").disabled = true;
  const result = $("cards-result");
  result.textContent = "Ask the client to insert or tap the card on the terminal…";
  result.hidden = false;
  const reply = await api("POST", "/api/cards", { client: saved.client.id, terminal }, { "Idempotency-Key": key });
  saved.busy = false;
  $("cards-save").disabled = false;
  const code = reply.json.error && reply.json.error.code;
  if (reply.status === 200 && reply.json.card) {
    sessionStorage.removeItem(slot);
    result.textContent = `Saved ${cardWords(reply.json.card)}. Nothing was charged.`;
  } else if (code === "in_doubt") {
    result.textContent = `Not sure yet: ${errorText(reply, "")}`;
  } else {
    sessionStorage.removeItem(slot);
    result.textContent = errorText(reply, "The card was not saved; nothing was charged. Try again.");
  }
  await showClient(saved.client);
}

async function loadCardTerminals() {
  const select = $("cards-terminal");
  if (select.options.length > 0) return;
  const reply = await api("GET", "/api/terminals");
  for (const terminal of reply.status === 200 ? reply.json.terminals || [] : []) {
    const option = document.createElement("option");
    option.value = terminal.name;
    option.textContent = terminal.name;
    select.append(option);
  }
}

async function removeCard(card) {
  const reply = await api("DELETE", `/api/cards/${card.id}`);
  const result = $("cards-result");
  result.textContent = reply.status === 200
    ? `Removed ${card.brand} •••• ${card.last4}. It can no longer be charged.`
    : errorText(reply, "It could not be removed; nothing changed. Try again.");
  result.hidden = false;
  if (saved.client) await showClient(saved.client);
  $("cards-title").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("cards-form").addEventListener("submit", findClient);
  $("cards-save-form").addEventListener("submit", saveCard);
});
