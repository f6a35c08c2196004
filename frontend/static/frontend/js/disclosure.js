// A button that shows and hides a panel (the header's menu, the map's panel on a phone):
// aria-expanded says the state, Escape closes the panel and gives the focus back to the
// button. Where the panel is always shown (a wide screen), CSS hides the button.

export function disclosure(button, panel, { onToggle = () => {}, focusOnOpen = null } = {}) {
  function set(open, { restoreFocus = false } = {}) {
    button.setAttribute("aria-expanded", String(open));
    panel.dataset.open = String(open);
    onToggle(open);
    if (open && focusOnOpen) {
      focusOnOpen().focus();
    }
    if (!open && restoreFocus) {
      button.focus();
    }
  }
  button.hidden = false;
  set(false);
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && button.offsetParent !== null) {
      event.preventDefault();
      set(false, { restoreFocus: true });
    }
  });
  button.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      set(false);
    }
  });
  return { open: () => set(true), close: (restoreFocus = true) => set(false, { restoreFocus }) };
}
