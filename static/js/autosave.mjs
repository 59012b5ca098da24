/**
 * Long forms that save themselves as people write (docs/decisions/0011-autosave.md).
 *
 * A form with data-autosave-url posts itself there (its CSRF token and hidden version
 * included) a few seconds after the person stops typing and when they leave a field. The
 * server answers with the new version, written into the hidden field so the page's own
 * Save is not refused as a conflict with this one. A copy of the fields is kept in this
 * browser until the server holds them, and offered back ("Restore the text you were
 * writing") when the page is opened again without them. Without JavaScript the page's
 * Save works as before.
 */

const DELAY = 3000; // milliseconds after the last key press
const SKIP = new Set(["csrfmiddlewaretoken", "version"]);
const KEPT =
  "Your text is kept in this browser: sign in again in another tab and it will be saved.";

function fieldsOf(form) {
  const pairs = [];
  for (const [name, value] of new FormData(form)) {
    if (!SKIP.has(name) && typeof value === "string") pairs.push([name, value]);
  }
  return pairs;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function editable(form) {
  return Array.from(form.elements).filter(
    (element) =>
      element.name &&
      !SKIP.has(element.name) &&
      !["submit", "button", "file", "reset"].includes(element.type),
  );
}

function fill(form, pairs, names) {
  const values = new Map();
  for (const [name, value] of pairs) values.set(name, [...(values.get(name) || []), value]);
  const used = new Map();
  for (const element of editable(form).filter((one) => names.includes(one.name))) {
    const wanted = values.get(element.name) || [];
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = wanted.includes(element.value);
    } else if (element.multiple) {
      for (const option of element.options) option.selected = wanted.includes(option.value);
    } else {
      const index = used.get(element.name) || 0;
      element.value = wanted[index] ?? "";
      used.set(element.name, index + 1);
    }
  }
}

function valuesOf(pairs, name) {
  return pairs.filter(([one]) => one === name).map(([, value]) => value);
}

function labelOf(form, name) {
  const element = form.elements.namedItem(name);
  const label = element && element.id && form.querySelector(`label[for="${element.id}"]`);
  return label ? label.textContent.trim() : name;
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

class Autosave {
  constructor(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.key = `autosave:${this.url}`;
    this.version = form.elements.namedItem("version");
    this.saved = fieldsOf(form);
    this.timer = null;
    this.inFlight = null;
    this.again = false;
    this.signedOut = false;
    this.refused = false;
    this.status = element("p", "govuk-body-s app-autosave-status");
    this.status.setAttribute("aria-live", "polite");
    this.status.dataset.autosaveStatus = "";
    const button = form.querySelector('[type="submit"]');
    form.insertBefore(this.status, button ? button.closest("form > *") || button : null);
    this.offerRestore();
    form.addEventListener("input", () => this.edited());
    form.addEventListener("change", () => this.save());
    form.addEventListener("submit", (event) => this.beforeSubmit(event));
    window.addEventListener("focus", () => this.retry());
    document.addEventListener("visibilitychange", () => this.retry());
  }

  read() {
    try {
      const copy = JSON.parse(window.localStorage.getItem(this.key) || "null");
      return copy && Array.isArray(copy.fields) ? copy : null;
    } catch {
      return null;
    }
  }

  keep() {
    if (this.offered) return; // the copy on offer stays until the person chooses
    const copy = {
      fields: fieldsOf(this.form),
      base: this.saved, // what the person started from: their changes are where fields differ
      version: this.version.value,
      at: Date.now(),
    };
    try {
      window.localStorage.setItem(this.key, JSON.stringify(copy));
    } catch {
      // Storage full or turned off: the autosave still runs.
    }
  }

  forget() {
    if (this.offered) return;
    try {
      window.localStorage.removeItem(this.key);
    } catch {
      // Nothing was kept.
    }
  }

  say(text, link) {
    this.status.replaceChildren(text);
    if (link) {
      this.status.append(" ");
      const a = element("a", "govuk-link", link.text);
      a.href = link.href;
      this.status.append(a);
    }
  }

  edited() {
    this.keep();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), DELAY);
  }

  retry() {
    if (this.signedOut && document.visibilityState === "visible") this.save();
  }

  save() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.refused) return Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const fields = fieldsOf(this.form);
    if (same(fields, this.saved)) return Promise.resolve();
    this.inFlight = this.post(fields).finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        this.save();
      }
    });
    return this.inFlight;
  }

  async post(fields) {
    if (this.signedOut && !(await this.freshToken())) {
      this.say(`Not saved: you may have been signed out. ${KEPT}`);
      return;
    }
    let response;
    let answer = {};
    try {
      response = await fetch(this.url, {
        method: "POST",
        body: new FormData(this.form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      answer = await response.json().catch(() => ({}));
    } catch {
      this.say(`Not saved: the portal could not be reached. ${KEPT}`);
      return;
    }
    if (response.ok) {
      this.signedOut = false;
      // A save is a request: the session's idle clock started again (session-timeout.mjs).
      document.dispatchEvent(new CustomEvent("portal:session-used"));
      this.version.value = answer.version;
      this.saved = fields;
      if (same(fieldsOf(this.form), fields)) this.forget();
      else this.keep();
      this.say(answer.message || "Saved");
    } else if (response.status === 409) {
      this.refused = true;
      this.say(`${answer.message} Your text is kept in this browser.`, {
        text: "Open the current version, then restore your text",
        href: answer.url || window.location.href,
      });
    } else if (response.status === 400) {
      this.say(`${answer.message} Your text is kept in this browser.`);
    } else {
      // 401 from the sign-in check, 403 when the CSRF token went with the session, or a
      // redirect to the sign-in page.
      this.signedOut = true;
      this.say(`Not saved: you may have been signed out. ${KEPT}`);
    }
  }

  async freshToken() {
    // Signing in again gives a new CSRF token, which this page's form does not hold yet.
    try {
      const response = await fetch(window.location.href, {
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return false;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const token = page.querySelector('input[name="csrfmiddlewaretoken"]');
      if (!token) return false;
      this.form.elements.namedItem("csrfmiddlewaretoken").value = token.value;
      return true;
    } catch {
      return false;
    }
  }

  beforeSubmit(event) {
    clearTimeout(this.timer);
    if (this.submitting || !this.inFlight) return;
    // Wait for the autosave under way, so the page posts the version it answers with.
    event.preventDefault();
    this.inFlight.finally(() => {
      this.submitting = true;
      HTMLFormElement.prototype.submit.call(this.form);
    });
  }

  offerRestore() {
    const copy = this.read();
    if (!copy) return;
    const page = fieldsOf(this.form);
    const base = Array.isArray(copy.base) ? copy.base : page;
    const differs = (one, other) => (name) => !same(valuesOf(one, name), valuesOf(other, name));
    // The fields the person changed that the page does not show: only these are restored.
    const differ = editable(this.form)
      .map((one) => one.name)
      .filter((name, index, names) => names.indexOf(name) === index)
      .filter(differs(copy.fields, base))
      .filter(differs(copy.fields, page));
    if (!differ.length) {
      // The server holds it, or the page shows it again (a refused save keeps the copy).
      if (!document.querySelector(".govuk-error-summary")) this.forget();
      return;
    }
    // Of those, the ones someone else has saved a change to since.
    const clash = differ.filter(differs(page, base));
    const box = element("div", "govuk-inset-text app-autosave-restore");
    const when = new Date(copy.at).toLocaleString("en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
    });
    box.append(
      element("p", "govuk-body", `This browser kept text you were writing at ${when} that has not been saved.`),
    );
    if (clash.length) {
      const names = clash.map((name) => labelOf(this.form, name)).join("; ");
      box.append(
        element(
          "p",
          "govuk-body govuk-!-font-weight-bold",
          `Someone else has saved a change since, perhaps a colleague: restoring your text replaces theirs in: ${names}.`,
        ),
      );
    }
    const buttons = element("div", "govuk-button-group");
    const restore = element("button", "govuk-button", "Restore the text you were writing");
    const discard = element("button", "govuk-button govuk-button--secondary", "Keep the saved text");
    restore.type = "button";
    discard.type = "button";
    buttons.append(restore, discard);
    box.append(buttons);
    this.form.before(box);
    this.offered = true;
    restore.addEventListener("click", () => {
      fill(this.form, copy.fields, differ);
      box.remove();
      this.offered = false;
      this.keep();
      const first = differ.length && this.form.elements.namedItem(differ[0]);
      if (first && first.focus) first.focus();
      this.save();
    });
    discard.addEventListener("click", () => {
      this.offered = false;
      this.forget();
      if (!same(fieldsOf(this.form), this.saved)) this.keep(); // typed since the page opened
      box.remove();
    });
  }
}

export function initAutosave(root = document) {
  for (const form of root.querySelectorAll("form[data-autosave-url]")) {
    if (form.elements.namedItem("version")) new Autosave(form);
  }
}
