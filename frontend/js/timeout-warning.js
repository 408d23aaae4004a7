// Session-timeout warning: a few minutes before the session ends, a dialog says so and offers
// "Stay signed in" (which saves the session again on the server) or "Sign out". When the time
// runs out the page signs out. Progressive enhancement: without JavaScript (or <dialog>) there
// is no warning, and the server still ends the session at SESSION_COOKIE_AGE.
const MINUTE = 60 * 1000;

function inWords(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds > 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initTimeoutWarning(root = document) {
  const dialog = root.getElementById("timeout-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const live = dialog.querySelector("[data-timeout-live]");
  const signOutForm = root.querySelector("form.app-account__form");
  // The server says how long is left, not when: the computer's clock may be wrong.
  let expiresAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let warnTimer = null;
  let ticker = null;
  let lastAnnounced = null;

  function csrfToken() {
    const input = signOutForm && signOutForm.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function signOut() {
    clearInterval(ticker);
    const here = window.location.pathname + window.location.search;
    const after = `${dialog.dataset.signedOutUrl}?next=${encodeURIComponent(here)}`;
    if (signOutForm) {
      signOutForm.action = `${signOutForm.action.split("?")[0]}?next=${encodeURIComponent(after)}`;
      signOutForm.submit();
    } else {
      window.location.href = after;
    }
  }

  function update() {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      signOut();
      return;
    }
    countdown.textContent = inWords(left);
    // Screen readers hear the time left when the dialog opens and then once a minute
    // (every second would drown out everything else).
    const minute = Math.ceil(left / MINUTE);
    if (minute !== lastAnnounced && (left > MINUTE || lastAnnounced !== 0)) {
      lastAnnounced = left > MINUTE ? minute : 0;
      live.textContent = `For your security, we will sign you out in ${inWords(left)}.`;
    }
  }

  function open() {
    lastAnnounced = null;
    update();
    if (!dialog.open) dialog.showModal();
    clearInterval(ticker);
    ticker = setInterval(update, 1000);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearInterval(ticker);
    warnTimer = setTimeout(open, Math.max(0, expiresAt - warnMs - Date.now()));
  }

  async function staySignedIn() {
    try {
      const response = await fetch(dialog.dataset.extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const data = await response.json();
      expiresAt = Date.now() + Number(data.seconds_left) * 1000;
      dialog.close();
      schedule();
    } catch (error) {
      signOut();
    }
  }

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", staySignedIn);
  dialog.querySelector("[data-timeout-sign-out]").addEventListener("click", signOut);
  // Escape is "stay signed in": the user is plainly still there.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  schedule();
}
