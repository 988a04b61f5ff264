/*
 * What the editor typed last is what the form sends (publications/wagtail_hooks.py).
 *
 * 1. Wagtail's rich text editor (Draftail) copies its content into the form's hidden input
 *    250 ms after the last change. An action taken within that time (Submit for review,
 *    Publish, a workflow action, Save draft) sent the form without the last words typed. Here
 *    a rich text editor changed since its last copy is copied at once, the way Wagtail copies
 *    it (the editor's state serialised with window.Draftail, into the input's value and
 *    rawContentState): before a click acts (Wagtail's workflow buttons send the form without a
 *    submit event), when the focus leaves the text, and when the form is submitted with the
 *    focus still in it (mod+s). An editor not changed is left alone, so that opening a page and
 *    clicking around changes nothing in the form (and autosave saves nothing).
 *
 * 2. Wagtail's autosave may be saving (an earlier state of the form) when the editor submits:
 *    the two requests then race on the server, and the autosave could land last. Here the
 *    submission waits until the autosave on its way has its answer, and no autosave starts
 *    once the form is being submitted (the autosave controller's "active" value).
 */
(() => {
  "use strict";

  const EDIT_FORM = "form[data-edit-form]";
  const WRAPPER = "[data-draftail-editor-wrapper]";
  const WAIT_AT_MOST_MS = 15000; // an autosave that never answers does not hold the form
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
  for (const type of ["pointerdown", "focusout"]) {
    document.addEventListener(type, flush, true);
  }

  // --- The autosave on its way ---------------------------------------------------------------

  let autosaving = false;
  let waiting = null; // the submission waiting for it: {form, submitter, timeout}

  function isEditForm(element) {
    return element instanceof HTMLFormElement && element.matches(EDIT_FORM);
  }

  function autosaveAnswered() {
    autosaving = false;
    if (waiting) {
      const { form, submitter, timeout } = waiting;
      waiting = null;
      window.clearTimeout(timeout);
      // The button's action ("action-publish"...) goes as a field: the button itself may be
      // disabled by now (Wagtail's progress spinner), and a disabled button sends nothing.
      if (submitter && submitter.name) {
        const action = document.createElement("input");
        action.type = "hidden";
        action.name = submitter.name;
        action.value = submitter.value;
        form.append(action);
      }
      form.requestSubmit();
    }
  }

  document.addEventListener("w-autosave:save", (event) => {
    if (isEditForm(event.target) && !event.defaultPrevented) {
      autosaving = true;
    }
  });
  document.addEventListener("w-autosave:success", autosaveAnswered);
  document.addEventListener("w-autosave:error", autosaveAnswered);

  document.addEventListener(
    "submit",
    (event) => {
      if (!isEditForm(event.target)) {
        return;
      }
      flush();
      // The form is being sent: no autosave from now on.
      event.target.setAttribute("data-w-autosave-active-value", "false");
      if (autosaving) {
        event.preventDefault();
        event.stopImmediatePropagation();
        if (waiting) {
          window.clearTimeout(waiting.timeout);
        }
        waiting = {
          form: event.target,
          submitter: event.submitter,
          timeout: window.setTimeout(autosaveAnswered, WAIT_AT_MOST_MS),
        };
      }
    },
    true,
  );
})();
