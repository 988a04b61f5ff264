/*
 * An expired session keeps the editor's work (publications/admin_session.py).
 *
 * On admin pages holding an edit form: ask the server how long the session has left, warn five
 * minutes before the end (with "Stay signed in"), and once it has ended cover the form with a
 * dialog that signs in again in a new window. Nothing on the page is reloaded or lost; the new
 * CSRF token is put into the page's forms and Wagtail's configuration, so that saving and
 * autosave work again. The window the sign-in lands in closes itself.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const STATUS_URL = script.dataset.statusUrl;
  const LOGIN_URL = script.dataset.loginUrl;
  const SIGNED_IN_URL = script.dataset.signedInUrl;
  const WARN_BEFORE_MS = Number(script.dataset.warnBefore) * 1000;
  const CHECK_EVERY_MS = 60 * 1000;
  const WAIT_FOR_SIGN_IN_EVERY_MS = 2 * 1000;

  if (window.location.pathname === SIGNED_IN_URL) {
    // The sign-in window: it was opened by the editor's page, which is waiting for it.
    if (window.opener) {
      window.setTimeout(() => window.close(), 1500);
    }
    return;
  }

  const form = document.querySelector("form[data-edit-form]");
  const dialogs = document.getElementById("session-guard-dialogs");
  if (!form || !dialogs) {
    return;
  }
  document.body.appendChild(dialogs.content.cloneNode(true));
  const warning = document.getElementById("session-warning");
  const expired = document.getElementById("session-expired");
  const message = warning.querySelector("[data-session-message]");
  const messageTemplate = message.textContent;
  const waiting = expired.querySelector("[data-session-waiting]");

  let endsAt = null; // when the session ends, by this browser's clock
  let warned = false;
  let waitingTimer = null;

  /* The server's answer: {expires_in, csrf_token}, or null once the session has ended (the admin
   * sends a signed-out request to the login page). */
  async function askServer(method = "GET") {
    const headers = { Accept: "application/json" };
    if (method === "POST") {
      headers["X-CSRFToken"] = currentToken();
    }
    try {
      const response = await fetch(STATUS_URL, {
        method,
        headers,
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        return null;
      }
      if (!response.ok) {
        return undefined; // the server is busy or down: nothing is known, ask again later
      }
      return await response.json();
    } catch (error) {
      return undefined; // no network: nothing is known
    }
  }

  function currentToken() {
    const input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : (window.wagtailConfig || {}).CSRF_TOKEN;
  }

  function takeToken(token) {
    document.querySelectorAll("input[name='csrfmiddlewaretoken']").forEach((input) => {
      input.value = token;
    });
    if (window.wagtailConfig) {
      window.wagtailConfig.CSRF_TOKEN = token;
    }
  }

  function open(dialog) {
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function close(dialog) {
    if (dialog.open) {
      dialog.close();
    }
  }

  function ended() {
    endsAt = 0;
    close(warning);
    open(expired);
  }

  function update(status) {
    if (status === undefined) {
      return;
    }
    if (status === null) {
      ended();
      return;
    }
    endsAt = Date.now() + status.expires_in * 1000;
    if (status.expires_in * 1000 > WARN_BEFORE_MS) {
      warned = false;
      close(warning);
    }
  }

  async function check() {
    update(await askServer());
    if (endsAt === 0) {
      return;
    }
    const left = endsAt - Date.now();
    if (left <= 0) {
      ended();
    } else if (left <= WARN_BEFORE_MS && !warned) {
      warned = true;
      const time = new Date(endsAt).toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: "2-digit",
        minute: "2-digit",
      });
      message.textContent = messageTemplate.replace("__TIME__", time);
      open(warning);
    }
  }

  async function staySignedIn() {
    const status = await askServer("POST");
    update(status);
    if (status) {
      close(warning);
    }
  }

  function signIn() {
    window.open(LOGIN_URL, "session-sign-in", "width=520,height=720");
    waiting.hidden = false;
    window.clearInterval(waitingTimer);
    waitingTimer = window.setInterval(async () => {
      const status = await askServer();
      if (status) {
        window.clearInterval(waitingTimer);
        waiting.hidden = true;
        takeToken(status.csrf_token);
        update(status);
        close(expired);
      }
    }, WAIT_FOR_SIGN_IN_EVERY_MS);
  }

  warning.addEventListener("click", (event) => {
    const action = event.target.closest("[data-session-action]");
    if (action && action.dataset.sessionAction === "stay") {
      staySignedIn();
    } else if (action && action.dataset.sessionAction === "close") {
      close(warning);
    }
  });
  expired.addEventListener("click", (event) => {
    const action = event.target.closest("[data-session-action]");
    if (action && action.dataset.sessionAction === "sign-in") {
      signIn();
    }
  });
  // The ended-session dialog cannot be dismissed with Escape: the form behind it cannot be saved.
  expired.addEventListener("cancel", (event) => event.preventDefault());

  // A submit while the session is known to have ended would land on the login page and lose the
  // edits: it waits for the sign-in instead.
  form.addEventListener(
    "submit",
    (event) => {
      if (endsAt !== null && endsAt <= Date.now()) {
        event.preventDefault();
        event.stopImmediatePropagation();
        ended();
      }
    },
    true,
  );

  window.setInterval(check, CHECK_EVERY_MS);
  window.addEventListener("focus", check);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      check();
    }
  });
  check();
})();
