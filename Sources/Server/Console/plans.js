// posplus console: payment plans on the invoice panel. When an invoice is shown, the plans its
// client can be offered are listed with the reason (or why none is); staff who take payments
// accept one as agreed with the client, paid by the client's most recent saved card. Loaded
// after console.js; uses its api(), $, show(), state and errorText(). No plan rule lives here.
"use strict";

const plans = { invoice: null, busy: false };

function plansMay(permission) { return Boolean(state.me && (state.me.permissions || []).includes(permission)); }

function plansResult(text, kind) {
  const result = $("plans-result");
  result.textContent = text;
  result.className = kind || "";
  show("plans-result", Boolean(text));
}

function planDay(text) {
  const date = new Date(text);
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

function renderPlanOptions(proposal) {
  const list = $("plans-options");
  list.replaceChildren();
  for (const option of proposal.options || []) {
    const item = document.createElement("li");
    item.className = "plan-option";
    const what = document.createElement("p");
    what.className = "plan-summary";
    what.textContent = `Option ${option.number}: ${option.summary}`;
    const dates = document.createElement("ul");
    for (const part of option.instalments || []) {
      const line = document.createElement("li");
      line.textContent = `${part.amount.formatted} on ${planDay(part.dueAt)}`;
      dates.append(line);
    }
    item.append(what, dates);
    if (plansMay("chargeCard")) {
      const accept = document.createElement("button");
      accept.type = "button";
      accept.textContent = `Accept option ${option.number}`;
      accept.addEventListener("click", () => acceptPlan(option.number));
      item.append(accept);
    }
    list.append(item);
  }
}

document.addEventListener("posplus:invoice", async (event) => {
  const invoice = event.detail;
  plans.invoice = invoice.number;
  show("plans", false);
  plansResult("");
  if (!plansMay("lookUpInvoices")) return;
  const reply = await api("GET", `/api/invoices/${encodeURIComponent(invoice.number)}/plans`);
  if (plans.invoice !== invoice.number || reply.status !== 200) return;
  const proposal = reply.json;
  // Plans switched off: the panel is not shown at all.
  if (!proposal.qualifies && (proposal.reason || "").startsWith("Payment plans are off")) return;
  $("plans-reason").textContent = proposal.reason;
  $("plans-manager").textContent = proposal.qualifies && proposal.needsManager
    ? "An accepted plan waits for a manager's approval before anything is charged."
    : "";
  renderPlanOptions(proposal);
  show("plans", true);
});

document.addEventListener("posplus:loggedout", () => { plans.invoice = null; show("plans", false); });

async function acceptPlan(option) {
  if (plans.busy || !plans.invoice) return;
  plans.busy = true;
  const buttons = Array.from($("plans-options").querySelectorAll("button"));
  buttons.forEach((button) => { button.disabled = true; });
  try {
    const reply = await api("POST", "/api/plans", { invoiceNumber: plans.invoice, option });
    if (reply.status === 201) {
      plansResult(`Plan ${reply.json.id} accepted: ${reply.json.instalments.length} instalments are scheduled.`, "approved");
      $("plans-options").replaceChildren();
    } else if (reply.status === 202) {
      plansResult(`Plan ${reply.json.plan.id} is recorded and waits for a manager (approval ${reply.json.approval.id}). Nothing is charged until it is approved.`, "waiting");
      $("plans-options").replaceChildren();
    } else {
      plansResult(errorText(reply, "The plan was not accepted; nothing was scheduled."), "failed");
    }
  } finally {
    plans.busy = false;
    buttons.forEach((button) => { button.disabled = false; });
  }
}
