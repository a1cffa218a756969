// posplus console: the follow-ups page — the office's open tasks from decline recoveries (each
// closed with a note saying what was done), the recoveries still running with their steps in
// words, and the reminders still to go. For the front desk and managers (viewPayments). Loaded
// after console.js and office.js; uses their api(), $, show() and errorText(). Moves no money:
// proposals to send or charge wait in the approvals list like every other request.
"use strict";

const followUpStepStates = {
  proposed: "waiting for a manager's approval", due: "about to be done", done: "done", failed: "tried, did not work",
  skipped: "not done", open: "open for the office",
};
const followUpReminderStates = { scheduled: "planned", proposed: "waiting for a manager's approval", sent: "sent", skipped: "not sent" };

const followUpWhen = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

function followUpItem(list, title, lines) {
  const item = document.createElement("li");
  const what = document.createElement("p");
  what.className = "approval-summary";
  what.textContent = title;
  item.append(what);
  for (const line of lines) { const text = document.createElement("p"); text.textContent = line; item.append(text); }
  list.append(item);
  return item;
}

function followUpEmpty(list, text) { const item = document.createElement("li"); item.textContent = text; list.append(item); }

async function loadFollowUps() {
  show("followups-result", false);
  const [tasks, recoveries, reminders] = await Promise.all([
    api("GET", "/api/declines/tasks"), api("GET", "/api/declines?state=active"), api("GET", "/api/reminders?state=upcoming"),
  ]);
  const failed = [tasks, recoveries, reminders].find((reply) => reply.status !== 200);
  if (failed) { notice(errorText(failed, "Could not read the follow-ups.")); return; }

  const taskList = $("followups-tasks");
  taskList.replaceChildren();
  if (tasks.json.tasks.length === 0) followUpEmpty(taskList, "No open task.");
  for (const task of tasks.json.tasks) {
    const invoice = task.invoiceNumber ? `invoice #${task.invoiceNumber}` : "an invoice";
    const lines = [task.reason];
    if (task.recoveryState === "finished") lines.push(`The recovery has ended since: ${task.recoveryFinishReason || "finished"}.`);
    const item = followUpItem(taskList, `Task ${task.id}: ${invoice}, since ${followUpWhen(task.createdAt)}`, lines);
    const form = document.createElement("form");
    const label = document.createElement("label");
    label.htmlFor = `followups-note-${task.id}`;
    label.textContent = `What the office did about task ${task.id}`;
    const note = document.createElement("input");
    note.id = `followups-note-${task.id}`;
    note.autocomplete = "off";
    note.maxLength = 500;
    note.required = true;
    const close = document.createElement("button");
    close.type = "submit";
    close.textContent = `Close task ${task.id}`;
    form.append(label, note, close);
    form.addEventListener("submit", (event) => { event.preventDefault(); closeFollowUpTask(task.id, note.value, close); });
    item.append(form);
  }

  const recoveryList = $("followups-recoveries");
  recoveryList.replaceChildren();
  if (recoveries.json.recoveries.length === 0) followUpEmpty(recoveryList, "No recovery is running.");
  for (const recovery of recoveries.json.recoveries) {
    const invoice = recovery.invoiceNumber ? `Invoice #${recovery.invoiceNumber}` : `Invoice ${recovery.invoiceID}`;
    const next = recovery.nextWakeAt ? `Next step ${followUpWhen(recovery.nextWakeAt)}.` : "Waiting for a person.";
    const item = followUpItem(recoveryList, `${invoice}: declined payment ${recovery.paymentID}`, [recovery.explanation, next]);
    const steps = document.createElement("ol");
    for (const step of recovery.steps) {
      const line = document.createElement("li");
      const what = step.actionWords + (step.tryNumber ? ` (try ${step.tryNumber})` : "");
      line.textContent = `${followUpWhen(step.createdAt)}, ${what}: ${followUpStepStates[step.state] || step.state}. ${step.outcome || step.reason}`;
      steps.append(line);
    }
    item.append(steps);
  }

  const reminderList = $("followups-reminders");
  reminderList.replaceChildren();
  if (reminders.json.reminders.length === 0) followUpEmpty(reminderList, "No reminder is planned.");
  for (const reminder of reminders.json.reminders) {
    const day = reminder.day === 0 ? "on the due date" : `${Math.abs(reminder.day)} day${Math.abs(reminder.day) === 1 ? "" : "s"} ${reminder.day < 0 ? "before" : "after"} the due date`;
    followUpEmpty(reminderList, `Invoice #${reminder.invoiceNumber}: ${followUpWhen(reminder.sendAt)} (${day}), ${followUpReminderStates[reminder.state] || reminder.state}.`);
  }
}

async function closeFollowUpTask(id, text, button) {
  const note = text.trim();
  const result = $("followups-result");
  if (!note) { result.textContent = "Say what was done before closing the task."; show("followups-result", true); return; }
  button.disabled = true;
  const reply = await api("POST", `/api/declines/tasks/${id}/done`, { note });
  button.disabled = false;
  if (reply.status !== 200) { result.textContent = errorText(reply, "Could not close the task."); show("followups-result", true); return; }
  await loadFollowUps();
  result.textContent = `Task ${id} closed by ${reply.json.closedBy}: ${reply.json.outcome}`;
  show("followups-result", true);
}

document.addEventListener("DOMContentLoaded", () => {
  // office.js opens the page on the same click; this fills it.
  for (const button of document.querySelectorAll('#nav button[data-view="followups"]')) button.addEventListener("click", loadFollowUps);
  $("followups-refresh").addEventListener("click", loadFollowUps);
});
