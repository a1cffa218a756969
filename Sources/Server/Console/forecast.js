// posplus console: the cash-flow page — expected cash in by horizon, the weekly chart, DSO now
// and at the last month-ends, and which invoices to chase first with the reason for each. For
// managers and owners (viewReports). Loaded after console.js and office.js; uses their api(),
// $, notice(), errorText() and fillTable(). Reads only; moves no money.
"use strict";

async function loadForecast() {
  const status = $("forecast-status");
  status.textContent = "Reading Jobber's invoices…";
  const reply = await api("GET", "/api/forecast");
  if (reply.status !== 200) {
    status.textContent = "";
    notice(errorText(reply, "Could not make the forecast."));
    return;
  }
  const forecast = reply.json;
  status.textContent = `As of ${new Date(forecast.asOf).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })} (${forecast.timeZone}), from ${forecast.invoicesRead} invoices.`;
  fillTable($("forecast-horizons"), ["Within", "Expected in"], forecast.horizons.map((horizon) => [`${horizon.days} days`, horizon.expected.formatted]));

  // The chart arrives as SVG text built by posplus (every label escaped). Parsed as XML, never
  // as HTML, and adopted as nodes: nothing in it can run.
  const chart = $("forecast-chart");
  chart.replaceChildren();
  const parsed = new DOMParser().parseFromString(forecast.svg, "image/svg+xml");
  if (parsed.documentElement && parsed.documentElement.nodeName === "svg") chart.append(document.importNode(parsed.documentElement, true));

  $("forecast-dso").textContent = `Days sales outstanding now: ${forecast.dsoNow.text} (${forecast.dsoNow.receivables.formatted} owed against ${forecast.dsoNow.creditSales.formatted} billed in the last ${forecast.dsoNow.periodDays} days).`;
  fillTable($("forecast-trend"), ["Month end", "DSO"], forecast.dsoTrend.map((point) => [point.date, point.text]));

  const chase = $("forecast-chase");
  chase.replaceChildren();
  if (forecast.chase.length === 0) { const item = document.createElement("li"); item.textContent = "Nothing past due."; chase.append(item); }
  for (const entry of forecast.chase) {
    const item = document.createElement("li");
    const what = document.createElement("p");
    what.className = "approval-summary";
    what.textContent = `#${entry.invoiceNumber} ${entry.clientName}: ${entry.amount.formatted}`;
    const why = document.createElement("p");
    why.textContent = entry.reason;
    item.append(what, why);
    chase.append(item);
  }
  const doubtful = $("forecast-doubtful");
  doubtful.replaceChildren();
  for (const entry of forecast.doubtful) { const item = document.createElement("li"); item.textContent = entry.reason; doubtful.append(item); }
  show("forecast-doubtful-title", forecast.doubtful.length > 0);
}

document.addEventListener("DOMContentLoaded", () => {
  // office.js opens the page on the same click; this fills it.
  for (const button of document.querySelectorAll('#nav button[data-view="forecast"]')) button.addEventListener("click", loadForecast);
  $("forecast-refresh").addEventListener("click", loadForecast);
});
