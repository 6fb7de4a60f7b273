// Whether a key pressed on `target` is typing: in a text field, a list of choices or editable text, where
// it means what it says and no shortcut may take it (search-key.js, shortcuts.js). A checkbox, radio button
// or button is not typed in.

const NOT_TYPED_IN = ["checkbox", "radio", "button", "submit", "reset", "image", "file", "range", "color"];

export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable || target.closest("textarea, select, [contenteditable]")) return true;
  return target instanceof HTMLInputElement && !NOT_TYPED_IN.includes(target.type);
}
