// "/" moves the keyboard to the top bar's search box (templates/base.html) from anywhere on the page,
// except while typing (typing.js): in a field, a list of choices or editable text the key types a "/" as usual.

import { isTyping } from "./typing.js";

const box = document.querySelector("[data-search-box]");
if (box) document.addEventListener("keydown", focusSearch);

function focusSearch(event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  if (event.isComposing || isTyping(event.target)) return;
  event.preventDefault(); // no "/" typed into the box
  box.focus();
  box.select();
}
