// The prerendered first paint (crates/web/src/first_paint.rs). The page carries the first task's
// view as HTML in <template id="first-paint">, made at build time from the same components; this
// script shows it at once when the app is to open on the reference profile, and the app takes it
// over when it starts. What is typed or pressed in it before then is carried over, so no work is
// lost: the fields' values first, then the buttons pressed, in order.
(() => {
  const KEYS = __STORAGE_KEYS__;
  const template = document.getElementById("first-paint");
  // Only the reference profile is known at build time: a link in the URL, a draft, snapshots or
  // a theme in storage open something else, so the page waits for the app as before.
  try {
    if (location.search) return;
    if (KEYS.some((k) => localStorage.getItem(k) !== null)) return;
  } catch (e) {
    return;
  }
  const view = template.content.cloneNode(true);
  for (const node of view.children) node.setAttribute("data-first-paint", "");
  template.after(view);
  const controls = () =>
    [...document.querySelectorAll("body > [data-first-paint]")].flatMap((n) => [
      ...n.querySelectorAll("input, select, textarea"),
    ]);
  const edited = (el) =>
    el.type === "checkbox"
      ? el.checked !== el.defaultChecked
      : el.tagName === "SELECT"
        ? [...el.options].some((o) => o.selected !== o.defaultSelected)
        : el.value !== el.defaultValue;
  const keyOf = (el) => el.dataset.testid || el.id || el.getAttribute("aria-label");
  // Buttons pressed before the app runs: replayed on the app's buttons once it has mounted.
  const pressed = [];
  const onClick = (e) => {
    const button = e.target.closest("[data-first-paint] button");
    if (button && keyOf(button)) pressed.push(keyOf(button));
  };
  document.addEventListener("click", onClick, true);
  const find = (key) =>
    document.querySelector(`[data-testid="${CSS.escape(key)}"]`) ||
    document.getElementById(key) ||
    document.querySelector(`[aria-label="${CSS.escape(key)}"]`);
  // Should the app never start (blocked script, a network that gave up), say so instead of
  // leaving a form that looks alive.
  const late = setTimeout(() => {
    if (!document.querySelector("[data-first-paint]")) return;
    const note = document.createElement("p");
    note.className = "load-error first-paint-late";
    note.setAttribute("role", "status");
    note.setAttribute("data-testid", "first-paint-late");
    note.textContent =
      "The app has not started yet (still downloading, or blocked). What you type or press here is carried over when it starts; reload if it does not.";
    document.body.prepend(note);
  }, 10000);
  window.studioFirstPaint = {
    /** Removes the first paint; returns what was typed and pressed in it, the focus, the scroll. */
    take() {
      clearTimeout(late);
      document.removeEventListener("click", onClick, true);
      document.querySelector(".first-paint-late")?.remove();
      const active = document.activeElement;
      const state = { typed: [], pressed, focus: null, scroll: window.scrollY };
      for (const el of controls()) {
        const key = keyOf(el);
        if (!key) continue;
        if (edited(el)) state.typed.push({ key, value: el.value, checked: el.checked });
        if (el === active) state.focus = { key, start: el.selectionStart, end: el.selectionEnd };
      }
      document.querySelectorAll("body > [data-first-paint]").forEach((n) => n.remove());
      return state;
    },
    /** Replays `state` on the mounted app, through the controls' own event handlers. */
    give(state) {
      delete window.studioFirstPaint;
      for (const t of state.typed) {
        const el = find(t.key);
        if (!el) continue;
        if (el.type === "checkbox") el.checked = t.checked;
        else el.value = t.value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
      for (const key of state.pressed) find(key)?.click();
      window.scrollTo(0, state.scroll);
      const el = state.focus && find(state.focus.key);
      if (el) {
        el.focus({ preventScroll: true });
        try {
          if (state.focus.start !== null) el.setSelectionRange(state.focus.start, state.focus.end);
        } catch (e) {}
      }
    },
  };
})();
