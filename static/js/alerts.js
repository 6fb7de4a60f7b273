// The page's one notice region (templates/includes/messages.html, core/notices.py): one notice at a
// time, a new one replacing the one shown. A notice with data-notice-seconds (success, Undo) leaves by
// itself after that long, the count paused while the pointer or the keyboard's focus is on it; a failure stays
// until its Dismiss button is pressed. Notices come from the server (with the page, or swapped in out
// of band by htmx) or from showError (a request that failed on its way).

const region = () => document.querySelector("[data-alerts]");
const armed = new WeakSet();
const DISMISSED_UNDO = "dismissed-undo"; // sessionStorage: the URL of the Undo whose notice was dismissed

/** Give a notice its Dismiss button and, if it has a lifetime, its timer. */
function arm(notice) {
  if (armed.has(notice)) return;
  armed.add(notice);
  // The server offers a pending Undo again with each page for a minute (core/notices.py); one this tab has
  // dismissed stays dismissed (until a newer change offers its own Undo).
  const undo = notice.querySelector("[data-undo-form]")?.getAttribute("action");
  if (undo && sessionStorage.getItem(DISMISSED_UNDO) === undo) {
    notice.remove();
    return;
  }
  const dismiss = notice.querySelector("[data-dismiss]");
  if (dismiss) {
    dismiss.hidden = false;
    dismiss.addEventListener("click", () => {
      if (undo) sessionStorage.setItem(DISMISSED_UNDO, undo);
      leave(notice, true);
    });
  }
  const seconds = Number(notice.dataset.noticeSeconds || 0);
  if (!seconds) return;
  let timer = null;
  let left = seconds * 1000;
  let started = 0;
  const run = () => {
    started = Date.now();
    timer = setTimeout(() => leave(notice, false), left);
  };
  const pause = () => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    left = Math.max(1000, left - (Date.now() - started));
  };
  // Keyboard focus (:focus-visible) holds a notice; the focus a click leaves behind does not.
  const held = () => notice.matches(":hover") || notice.querySelector(":focus-visible") !== null;
  notice.addEventListener("pointerenter", pause);
  notice.addEventListener("focusin", (event) => event.target.matches(":focus-visible") && pause());
  notice.addEventListener("pointerleave", () => held() || run());
  notice.addEventListener("focusout", (event) => notice.contains(event.relatedTarget) || held() || run());
  run();
}

/** Take a notice away; if it held the focus (its Dismiss button), put the focus on the page's main part. */
function leave(notice, dismissed) {
  if (!notice.isConnected) return;
  const hadFocus = notice.contains(document.activeElement);
  notice.remove();
  const main = document.getElementById("main-content");
  if (!dismissed || !hadFocus || !main) return;
  if (!main.hasAttribute("tabindex")) main.tabIndex = -1; // focusable from a script, not in the Tab order
  main.focus({ preventScroll: true });
}

function armAll() {
  region()?.querySelectorAll("[data-notice]").forEach(arm);
}

/** Show `message` as the page's notice (replacing the one shown): a failure, which stays until dismissed. */
export function showError(message) {
  const container = region();
  if (!container) return;
  const notice = document.createElement("div");
  notice.className = "alert alert-error";
  notice.setAttribute("role", "alert");
  notice.dataset.notice = "";
  const text = document.createElement("p");
  text.className = "notice-text";
  text.textContent = message;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "alert-close";
  close.dataset.dismiss = "";
  close.setAttribute("aria-label", "Dismiss");
  close.title = "Dismiss";
  close.textContent = "×";
  notice.append(text, close);
  container.replaceChildren(notice);
  arm(notice);
}

export function clearErrors() {
  region()?.querySelectorAll(".alert-error").forEach((alert) => alert.remove());
}

// Notices that came with the page, then each one swapped in later (htmx's out-of-band swaps). When the
// notice that held the focus is replaced (Undo pressed: its answer replaces it), the focus goes to the new
// notice's Dismiss button rather than being lost.
const container = region();
if (container) {
  let focused = null;
  container.addEventListener("focusin", (event) => {
    focused = event.target;
  });
  armAll();
  new MutationObserver(() => {
    armAll();
    const lost = focused && !focused.isConnected && (!document.activeElement || document.activeElement === document.body);
    focused = null;
    if (lost) container.querySelector("[data-dismiss]")?.focus();
  }).observe(container, { childList: true });
}
