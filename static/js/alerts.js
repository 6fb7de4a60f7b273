// Visible, dismissable messages in the page's alert region.

const region = () => document.querySelector("[data-alerts]");

export function showError(message) {
  const container = region();
  if (!container) return;
  const alert = document.createElement("div");
  alert.className = "alert alert-error";
  alert.setAttribute("role", "alert");
  const text = document.createElement("span");
  text.textContent = message;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "alert-close";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "×";
  close.addEventListener("click", () => alert.remove());
  alert.append(text, close);
  container.append(alert);
}

export function clearErrors() {
  region()?.querySelectorAll(".alert-error").forEach((alert) => alert.remove());
}
