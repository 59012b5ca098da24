/**
 * A page that waits on a background job updates itself (issue 20, item 9).
 *
 * An element with data-job-status-url holds a status message (data-job-status-message, a
 * role="status" region that screen readers announce) and a hint to refresh the page. Every
 * few seconds this asks the URL for {waiting, failed, message} and writes the message in.
 * When the job is finished it stops, and swaps in the page's result regions
 * (data-job-result, each with an id) as the server now renders them, so the result link
 * appears without a reload. Without JavaScript the hint says to refresh the page.
 */

const EVERY = 3000; // milliseconds between checks
const LONGEST = 10 * 60 * 1000; // stop asking after ten minutes: the hint then says to refresh
const GIVE_UP_AFTER = 5; // failed checks in a row

async function resultsSwap() {
  const response = await fetch(window.location.href, { credentials: "same-origin" });
  if (!response.ok) return false;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const region of document.querySelectorAll("[data-job-result][id]")) {
    const replacement = fresh.getElementById(region.id);
    if (replacement) region.replaceChildren(...replacement.childNodes);
  }
  return true;
}

function watch(element) {
  const message = element.querySelector("[data-job-status-message]");
  const hint = element.querySelector("[data-job-status-hint]");
  const started = Date.now();
  let failures = 0;
  if (hint) hint.hidden = true;

  function stop() {
    if (hint) hint.hidden = false;
  }

  async function check() {
    let status;
    try {
      const response = await fetch(element.dataset.jobStatusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      status = await response.json();
      failures = 0;
    } catch {
      failures += 1;
      if (failures >= GIVE_UP_AFTER) return stop();
      return window.setTimeout(check, EVERY * failures);
    }
    if (message && message.textContent !== status.message) message.textContent = status.message;
    if (status.waiting) {
      if (Date.now() - started > LONGEST) return stop();
      return window.setTimeout(check, EVERY);
    }
    element.removeAttribute("data-job-status-url");
    if (!(await resultsSwap().catch(() => false))) stop();
    return undefined;
  }

  window.setTimeout(check, EVERY);
}

export function initJobStatus() {
  for (const element of document.querySelectorAll("[data-job-status-url]")) watch(element);
}
