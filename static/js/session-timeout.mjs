/**
 * The GOV.UK timeout warning: a modal dialog some minutes before the session would end
 * (SESSION_TIMEOUT_WARNING before SESSION_IDLE_TIMEOUT), with "Stay signed in" (or Escape),
 * which starts the session's idle clock again, and "Sign out". Its settings come from the
 * dialog's data attributes (templates/includes/_session_timeout.html); without JavaScript
 * the dialog is never shown and the session ends as before.
 *
 * Tabs of the portal share the time the session ends through localStorage, so a page used in
 * one tab does not warn in another. The page signs out by itself when the time is up, so that
 * a reload cannot keep the session going without the person.
 */

const SHARED = "portal-session-ends-at";
// The server notes a request only once a minute (LAST_SEEN_PRECISION): count from the start
// of that minute.
const PRECISION = 60 * 1000;

function inWords(milliseconds) {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function sharedEnd() {
  try {
    return Number(window.localStorage.getItem(SHARED)) || 0;
  } catch {
    return 0;
  }
}

function share(endsAt) {
  try {
    window.localStorage.setItem(SHARED, String(endsAt));
  } catch {
    // Private browsing without storage: each tab keeps its own time.
  }
}

class SessionTimeout {
  constructor(dialog) {
    this.dialog = dialog;
    this.warning = Number(dialog.dataset.warningSeconds) * 1000;
    this.idle = Number(dialog.dataset.idleSeconds) * 1000;
    this.url = dialog.dataset.stayUrl;
    this.form = dialog.querySelector("[data-sign-out]");
    this.countdown = dialog.querySelector("[data-countdown]");
    this.announce = dialog.querySelector("[data-announce]");
    this.returnFocus = null;
    this.spoken = "";
    this.endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
    share(this.endsAt);

    dialog.querySelector("[data-stay]").addEventListener("click", () => this.stay());
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape means "Stay signed in", as the pattern says
      this.stay();
    });
    document.addEventListener("portal:session-used", () => this.used());
    window.addEventListener("storage", (event) => {
      if (event.key === SHARED) this.adopt(sharedEnd());
    });
    this.timer = window.setInterval(() => this.tick(), 1000);
    this.tick();
  }

  used() {
    this.adopt(Date.now() + this.idle - PRECISION);
    share(this.endsAt);
  }

  adopt(endsAt) {
    if (endsAt <= this.endsAt) return;
    this.endsAt = endsAt;
    if (this.endsAt - Date.now() > this.warning) this.close();
  }

  tick() {
    this.adopt(sharedEnd());
    const left = this.endsAt - Date.now();
    if (left <= 0) {
      this.signOut();
    } else if (left <= this.warning) {
      this.open(left);
    }
  }

  open(left) {
    const words = inWords(left);
    this.countdown.textContent = words;
    if (!this.dialog.open) {
      this.returnFocus = document.activeElement;
      this.dialog.showModal();
      this.dialog.focus(); // read from its heading, not from the first button
      this.spoken = "";
    }
    // Screen readers hear the time when it changes by the minute, and near the end.
    const spoken = left > 60 * 1000 ? words : left > 20 * 1000 ? "1 minute" : "20 seconds";
    if (spoken !== this.spoken) {
      this.spoken = spoken;
      this.announce.textContent = `You will be signed out in ${spoken}.`;
    }
  }

  close() {
    if (!this.dialog.open) return;
    this.dialog.close();
    this.announce.textContent = "";
    if (this.returnFocus && typeof this.returnFocus.focus === "function") {
      this.returnFocus.focus();
    }
  }

  async stay() {
    const token = this.form.elements.namedItem("csrfmiddlewaretoken").value;
    let response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      this.announce.textContent = "The portal could not be reached. Try again.";
      return;
    }
    if (!response.ok) {
      // Already signed out (or the session went): the page itself says so and offers sign-in.
      window.location.reload();
      return;
    }
    const answer = await response.json();
    this.endsAt = Date.now() + answer.seconds_left * 1000;
    share(this.endsAt);
    this.close();
  }

  signOut() {
    window.clearInterval(this.timer);
    this.form.requestSubmit();
  }
}

export function initSessionTimeout() {
  const dialog = document.querySelector('[data-module="app-session-timeout"]');
  if (dialog && typeof dialog.showModal === "function") new SessionTimeout(dialog);
}
