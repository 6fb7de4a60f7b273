// "/" moves the keyboard to the top bar's search box (templates/base.html) from anywhere on the page,
// except while typing: in a field, a list of choices or editable text the key types a "/" as usual.

const box = document.querySelector("[data-search-box]");
if (box) document.addEventListener("keydown", focusSearch);

function isTyping(target) {
  if (!(target instanceof Element)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
}

function focusSearch(event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  if (event.isComposing || isTyping(event.target)) return;
  event.preventDefault(); // no "/" typed into the box
  box.focus();
  box.select();
}
