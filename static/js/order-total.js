// The shop's running total: the chosen quantities times the prices the server rendered (data-price),
// shown in the form's <output data-running-total> as quantities change. Without JavaScript the
// total stays hidden and the order's page shows it once placed.

export function cents(price) {
  const [whole, fraction = ""] = String(price).split(".");
  return Number(whole) * 100 + Number((fraction + "00").slice(0, 2));
}

export function quantityOf(input) {
  const value = input.value.trim();
  return /^\d+$/.test(value) ? Number(value) : 0;
}

export function formatMoney(totalCents) {
  return `$${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, "0")}`;
}

function update(form, output) {
  let total = 0;
  form.querySelectorAll("input[data-price]").forEach((input) => {
    total += cents(input.dataset.price) * quantityOf(input);
  });
  output.textContent = formatMoney(total);
}

document.querySelectorAll("form[data-running-total-form]").forEach((form) => {
  const output = form.querySelector("[data-running-total]");
  if (!output) return;
  form.addEventListener("input", () => update(form, output));
  update(form, output);
  output.closest("[hidden]")?.removeAttribute("hidden");
});
