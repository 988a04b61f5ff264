/*
 * What the editor typed last is in the form when it is sent (publications/wagtail_hooks.py).
 *
 * Wagtail's rich text editor (Draftail) copies its content into the form's hidden input 250 ms
 * after the last change. An action taken within that time (Submit for review, Publish, a
 * workflow action, Save draft) sent the form without the last words typed. Here a rich text
 * editor changed since its last copy is copied at once, the way Wagtail copies it (the editor's
 * state serialised with window.Draftail, into the input's value and rawContentState): before
 * a click acts (Wagtail's workflow buttons send the form without a submit event), when the
 * focus leaves the text, and when the form is submitted with the focus still in it (mod+s).
 * An editor not changed is left alone, so that opening a page and clicking around changes
 * nothing in the form (and autosave saves nothing).
 */
(() => {
  "use strict";

  const WRAPPER = "[data-draftail-editor-wrapper]";
  const changed = new Set(); // wrappers of the editors changed since their last copy

  function markChanged(event) {
    const wrapper = event.target instanceof Element ? event.target.closest(WRAPPER) : null;
    if (wrapper) {
      changed.add(wrapper);
    }
  }

  function copy(input) {
    const serialise = window.Draftail && window.Draftail.serialiseEditorStateToRaw;
    const editor = input.draftailEditor;
    if (typeof serialise !== "function" || !editor || typeof editor.getEditorState !== "function") {
      return;
    }
    const raw = serialise(editor.getEditorState());
    const styles = Array.isArray(editor.props && editor.props.inlineStyles)
      ? new Set(editor.props.inlineStyles.map((style) => style.type))
      : null;
    if (raw && styles) {
      for (const block of raw.blocks) {
        block.inlineStyleRanges = block.inlineStyleRanges.filter((range) =>
          styles.has(range.style),
        );
      }
    }
    input.rawContentState = raw;
    input.value = JSON.stringify(raw);
  }

  function flush() {
    for (const wrapper of Array.from(changed)) {
      changed.delete(wrapper);
      const input = wrapper.isConnected
        ? Array.from(wrapper.parentNode.children).find((element) => element.draftailEditor)
        : null;
      if (input) {
        copy(input);
      }
    }
  }

  for (const type of ["beforeinput", "keydown", "paste", "cut", "drop", "click"]) {
    document.addEventListener(type, markChanged, true);
  }
  for (const type of ["pointerdown", "focusout", "submit"]) {
    document.addEventListener(type, flush, true);
  }
})();
